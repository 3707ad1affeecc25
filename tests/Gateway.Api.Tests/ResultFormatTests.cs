using System.IO.Compression;
using System.Net;
using System.Text.Json;
using InnerEye.Gateway.Api.Tests.Support;
using InnerEye.Imaging.Dicom;
using InnerEye.Imaging.Nifti;

namespace InnerEye.Gateway.Api.Tests;

/// <summary>A completed job's result in each form: RT Structure Set, DICOM Segmentation (BINARY, label map) and NIfTI.</summary>
public sealed class ResultFormatTests(ContractFactory factory) : IClassFixture<ContractFactory>
{
    private const string Model = "PassThroughModel";

    private async Task<string> CompletedJobAsync(HttpClient client)
    {
        var response = await client.PostAsync($"/api/v1/models/{Model}/segmentation", new ByteArrayContent(Phantoms.Zip(seed: 23)));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var id = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("segmentationId").GetString()!;
        var done = await HttpAssertions.WaitForStatusAsync(client, Model, id, "completed", "failed", "cancelled");
        Assert.Equal("completed", done.GetProperty("status").GetString());
        return id;
    }

    [SkippableFact]
    public async Task EachFormatComesBackAsItsOwnKindOfFile()
    {
        var client = factory.Authorized();
        var id = await CompletedJobAsync(client);
        var rt = DicomReader.Read(await GetAsync(client, id, null, "application/zip") is var zip ? Unzip(zip) : []).Dataset;
        var rtStudy = rt.GetFirstString(DicomTags.StudyInstanceUID);

        foreach (var (format, sopClass) in new[] { ("seg", "1.2.840.10008.5.1.4.1.1.66.4"), ("labelmap-seg", "1.2.840.10008.5.1.4.1.1.66.7") })
        {
            var seg = DicomReader.Read(await GetAsync(client, id, format, "application/dicom")).Dataset;
            Assert.Equal(sopClass, seg.GetFirstString(DicomTags.SOPClassUID)?.Trim());
            Assert.Equal("SEG", seg.GetFirstString(DicomTags.Modality)?.Trim());
            Assert.Equal(rtStudy, seg.GetFirstString(DicomTags.StudyInstanceUID));
        }

        var nifti = await GetAsync(client, id, "nifti", "application/gzip");
        using var gzip = new GZipStream(new MemoryStream(nifti), CompressionMode.Decompress);
        using var raw = new MemoryStream();
        await gzip.CopyToAsync(raw);
        var image = NiftiReader.Read(raw.ToArray());
        Assert.Equal([64, 64, 4], image.Size.Take(3));
        Assert.Contains(image.Data, b => b != 0);
    }

    [SkippableFact]
    public async Task AnUnknownFormatIs400()
    {
        var client = factory.Authorized();
        var response = await client.GetAsync($"/api/v1/models/{Model}/segmentation/0123/result?format=png");
        await HttpAssertions.AssertErrorAsync(response, 400, null, "application/problem+json");
    }

    private static async Task<byte[]> GetAsync(HttpClient client, string id, string? format, string mediaType)
    {
        var response = await client.GetAsync($"/api/v1/models/{Model}/segmentation/{id}/result{(format is null ? "" : $"?format={format}")}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(mediaType, response.Content.Headers.ContentType?.MediaType);
        return await response.Content.ReadAsByteArrayAsync();
    }

    private static byte[] Unzip(byte[] zip)
    {
        using var archive = new ZipArchive(new MemoryStream(zip));
        using var entry = archive.Entries.Single().Open();
        using var copy = new MemoryStream();
        entry.CopyTo(copy);
        return copy.ToArray();
    }
}

/// <summary>A job whose service keeps no other form than the RT Structure Set.</summary>
public sealed class RtOnlyFactory() : GatewayFactory(new Dictionary<string, string?> { ["ModelGrain:ResultFormats"] = "" });

public sealed class UnkeptResultFormatTests(RtOnlyFactory factory) : IClassFixture<RtOnlyFactory>
{
    [SkippableFact]
    public async Task AFormatTheServiceDoesNotKeepIs404ResultFormatUnavailable()
    {
        var client = factory.Authorized();
        var response = await client.PostAsync("/api/v1/models/PassThroughModel/segmentation", new ByteArrayContent(Phantoms.Zip(seed: 24)));
        var id = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("segmentationId").GetString()!;
        await HttpAssertions.WaitForStatusAsync(client, "PassThroughModel", id, "completed");
        var seg = await client.GetAsync($"/api/v1/models/PassThroughModel/segmentation/{id}/result?format=seg");
        var body = await HttpAssertions.AssertErrorAsync(seg, 404, null, "application/problem+json");
        Assert.Equal("ResultFormatUnavailable", body.GetProperty("title").GetString());
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/v1/models/PassThroughModel/segmentation/{id}/result")).StatusCode);
    }
}
