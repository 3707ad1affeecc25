using System.Text.Json;

namespace InnerEye.Gateway.Api.Tests.DicomWeb;

/// <summary>A STOW-RS answer's sequences, read from its DICOM JSON.</summary>
public sealed record StowAnswer(IReadOnlyList<(string SopInstanceUid, string RetrieveUrl)> Referenced,
    IReadOnlyList<(string? SopInstanceUid, int Reason)> Failed)
{
    public static async Task<StowAnswer> ReadAsync(HttpResponseMessage response)
    {
        Assert.Equal("application/dicom+json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = json.RootElement;
        return new StowAnswer(
            [.. Items(root, "00081199").Select(i => (Value(i, "00081155")!, Value(i, "00081190")!))],
            [.. Items(root, "00081198").Select(i => (Value(i, "00081155"), i.GetProperty("00081197").GetProperty("Value")[0].GetInt32()))]);
    }

    private static IEnumerable<JsonElement> Items(JsonElement root, string tag) =>
        root.TryGetProperty(tag, out var seq) ? seq.GetProperty("Value").EnumerateArray().ToList() : [];

    private static string? Value(JsonElement item, string tag) =>
        item.TryGetProperty(tag, out var e) && e.TryGetProperty("Value", out var v) ? v[0].GetString() : null;
}
