using System.IO.Compression;
using System.Text.Json;

namespace InnerEye.Gateway.Api.Tests.Support;

public static class HttpAssertions
{
    /// <summary>The error body every route uses: code (the status name), status, title, detail, extra_details.</summary>
    public static async Task<JsonElement> AssertErrorAsync(HttpResponseMessage response, int status, string? extraDetails, string mediaType)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == status, $"expected {status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal(mediaType, response.Content.Headers.ContentType?.MediaType);
        var body = JsonDocument.Parse(text).RootElement;
        Assert.False(string.IsNullOrEmpty(body.GetProperty("code").GetString()));
        Assert.Equal(status, body.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrEmpty(body.GetProperty("title").GetString()));
        Assert.False(string.IsNullOrEmpty(body.GetProperty("detail").GetString()));
        if (extraDetails is null) Assert.False(body.TryGetProperty("extra_details", out _), text);
        else Assert.Equal(extraDetails, body.GetProperty("extra_details").GetString());
        return body;
    }

    /// <summary>The zip the gateway accepts: exactly one entry, segmentation.dcm, holding a Part 10 file.</summary>
    public static byte[] AssertSingleEntryRtZip(byte[] zip)
    {
        using var archive = new ZipArchive(new MemoryStream(zip), ZipArchiveMode.Read);
        var entry = Assert.Single(archive.Entries);
        Assert.Equal("segmentation.dcm", entry.FullName);
        using var stream = entry.Open();
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        var dicom = buffer.ToArray();
        Assert.True(dicom.Length > 132 && dicom.AsSpan(128, 4).SequenceEqual("DICM"u8), "segmentation.dcm is not a Part 10 file");
        return dicom;
    }

    /// <summary>Polls the seed status route until the job's status is one of <paramref name="states"/>.</summary>
    public static async Task<JsonElement> WaitForStatusAsync(HttpClient client, string model, string id, params string[] states)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        JsonElement last = default;
        while (DateTime.UtcNow < deadline)
        {
            var response = await client.GetAsync($"/api/v1/models/{model}/segmentation/{id}");
            response.EnsureSuccessStatusCode();
            last = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
            if (states.Contains(last.GetProperty("status").GetString())) return last;
            await Task.Delay(100);
        }
        throw new TimeoutException($"Segmentation {id} did not reach {string.Join("|", states)}; last: {last}");
    }
}
