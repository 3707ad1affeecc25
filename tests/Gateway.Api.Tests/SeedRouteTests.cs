using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using InnerEye.Gateway.Api.Tests.Support;

namespace InnerEye.Gateway.Api.Tests;

public sealed class SeedRouteTests(ContractFactory factory) : IClassFixture<ContractFactory>
{
    private const string Model = "PassThroughModel";

    private static async Task<(string Id, HttpResponseMessage Response)> SubmitAsync(HttpClient client, HttpContent content, string model = Model)
    {
        var response = await client.PostAsync($"/api/v1/models/{model}/segmentation", content);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{response.StatusCode}: {text}");
        var body = JsonDocument.Parse(text).RootElement;
        return (body.GetProperty("segmentationId").GetString()!, response);
    }

    [SkippableFact]
    public async Task PingWithTheSecretIs200()
    {
        Assert.Equal(HttpStatusCode.OK, (await factory.Authorized().GetAsync("/api/ping")).StatusCode);
    }

    [SkippableFact]
    public async Task ModelsListIdsVersionsChannelsAndStructures()
    {
        var models = JsonDocument.Parse(await factory.Authorized().GetStringAsync("/api/v1/models")).RootElement.EnumerateArray().ToList();
        var passThrough = Assert.Single(models, m => m.GetProperty("id").GetString() == "PassThroughModel");
        Assert.Equal("1729", passThrough.GetProperty("version").GetString());
        Assert.Equal("ct", passThrough.GetProperty("channels")[0].GetProperty("id").GetString());
        Assert.Equal(["SpinalCord", "Lung_R", "Lung_L", "Heart", "Esophagus"],
            passThrough.GetProperty("structures").EnumerateArray().Select(s => s.GetProperty("name").GetString()));
        Assert.Contains(models, m => m.GetProperty("id").GetString() == "ThoraxCT");
    }

    [SkippableFact]
    public async Task ARawZipRunsToCompletionWithStatusLocationAndResult()
    {
        var client = factory.Authorized();
        var (id, response) = await SubmitAsync(client, new ByteArrayContent(Phantoms.Zip()));
        Assert.Equal($"/api/v1/models/{Model}/segmentation/{id}", response.Headers.Location?.OriginalString);
        var created = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(Model, created.GetProperty("modelId").GetString());
        Assert.Equal("queued", created.GetProperty("status").GetString());

        var running = await HttpAssertions.WaitForStatusAsync(client, Model, id, "running", "completed");
        Assert.Equal("running", running.GetProperty("status").GetString());
        Assert.False(string.IsNullOrEmpty(running.GetProperty("stage").GetString()));
        Assert.InRange(running.GetProperty("progress").GetInt32(), 0, 100);
        var early = await client.GetAsync($"/api/v1/models/{Model}/segmentation/{id}/result");
        Assert.Equal(HttpStatusCode.Conflict, early.StatusCode);
        Assert.Equal("running", JsonDocument.Parse(await early.Content.ReadAsStringAsync()).RootElement.GetProperty("status").GetString());

        var done = await HttpAssertions.WaitForStatusAsync(client, Model, id, "completed", "failed", "cancelled");
        Assert.Equal("completed", done.GetProperty("status").GetString());
        Assert.Equal(100, done.GetProperty("progress").GetInt32());
        Assert.True(done.GetProperty("updatedAt").GetDateTimeOffset() >= done.GetProperty("createdAt").GetDateTimeOffset());
        Assert.Equal(JsonValueKind.Null, done.GetProperty("error").ValueKind);
        Assert.Equal(["queued", "decode", "resample", "inference", "postprocess", "contour", "completed"],
            done.GetProperty("stages").EnumerateArray().Select(s => s.GetProperty("stage").GetString()));

        var zip = await client.GetAsync($"/api/v1/models/{Model}/segmentation/{id}/result");
        Assert.Equal(HttpStatusCode.OK, zip.StatusCode);
        Assert.Equal("application/zip", zip.Content.Headers.ContentType?.MediaType);
        var dicom = HttpAssertions.AssertSingleEntryRtZip(await zip.Content.ReadAsByteArrayAsync());

        using var asDicom = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/models/{Model}/segmentation/{id}/result");
        asDicom.Headers.Accept.ParseAdd("application/dicom");
        var bare = await client.SendAsync(asDicom);
        Assert.Equal("application/dicom", bare.Content.Headers.ContentType?.MediaType);
        Assert.Equal(dicom, await bare.Content.ReadAsByteArrayAsync());

        // Cancelling an ended job changes nothing.
        var cancel = await client.DeleteAsync($"/api/v1/models/{Model}/segmentation/{id}");
        Assert.Equal(HttpStatusCode.Accepted, cancel.StatusCode);
        Assert.Equal("completed", JsonDocument.Parse(await cancel.Content.ReadAsStringAsync()).RootElement.GetProperty("status").GetString());
    }

    [SkippableFact]
    public async Task AMultipartUploadIsAccepted()
    {
        var client = factory.Authorized();
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(Phantoms.Zip());
        file.Headers.ContentType = new MediaTypeHeaderValue("application/zip");
        form.Add(new StringContent("a note"), "comment");
        form.Add(file, "file", "series.zip");
        var (id, _) = await SubmitAsync(client, form, "PassThroughModel:1729");
        var done = await HttpAssertions.WaitForStatusAsync(client, "PassThroughModel:1729", id, "completed", "failed", "cancelled");
        Assert.Equal("completed", done.GetProperty("status").GetString());
    }

    [SkippableFact]
    public async Task AMultipartBodyWithoutAFileIs400()
    {
        using var form = new MultipartFormDataContent { { new StringContent("no file here"), "comment" } };
        var response = await factory.Authorized().PostAsync($"/api/v1/models/{Model}/segmentation", form);
        await HttpAssertions.AssertErrorAsync(response, 400, null, "application/problem+json");
    }

    [SkippableFact]
    public async Task ABodyThatIsNotAZipIs400AndNothingIsKept()
    {
        var before = Directory.Exists(Path.Combine(factory.DataPath, "artifacts", "inputs"))
            ? Directory.GetFiles(Path.Combine(factory.DataPath, "artifacts", "inputs")).Length : 0;
        var response = await factory.Authorized().PostAsync($"/api/v1/models/{Model}/segmentation", new StringContent("not a zip"));
        var body = await HttpAssertions.AssertErrorAsync(response, 400, "InvalidZipFile", "application/problem+json");
        Assert.Equal("InvalidZip", body.GetProperty("title").GetString());
        var after = Directory.GetFiles(Path.Combine(factory.DataPath, "artifacts", "inputs")).Length;
        Assert.Equal(before, after);
    }

    [SkippableFact]
    public async Task CancelWhileRunningIs202AndIdempotent()
    {
        var client = factory.Authorized();
        var (id, _) = await SubmitAsync(client, new ByteArrayContent(Phantoms.Zip()));
        await HttpAssertions.WaitForStatusAsync(client, Model, id, "running");
        for (var i = 0; i < 2; i++)
        {
            var response = await client.DeleteAsync($"/api/v1/models/{Model}/segmentation/{id}");
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            Assert.Equal("cancelled", JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("status").GetString());
        }
        var result = await client.GetAsync($"/api/v1/models/{Model}/segmentation/{id}/result");
        Assert.Equal(HttpStatusCode.Conflict, result.StatusCode);
    }

    [SkippableTheory]
    [InlineData("GET", "/api/v1/models/PassThroughModel/segmentation/0123456789abcdef0123456789abcdef")]
    [InlineData("GET", "/api/v1/models/PassThroughModel/segmentation/0123456789abcdef0123456789abcdef/result")]
    [InlineData("DELETE", "/api/v1/models/PassThroughModel/segmentation/0123456789abcdef0123456789abcdef")]
    [InlineData("GET", "/api/v1/models/PassThroughModel/segmentation/not%20an%20id")]
    public async Task UnknownSegmentationsAre404(string method, string path)
    {
        var response = await factory.Authorized().SendAsync(new HttpRequestMessage(new HttpMethod(method), path));
        await HttpAssertions.AssertErrorAsync(response, 404, "InvalidRunId", "application/problem+json");
    }

    [SkippableFact]
    public async Task ASegmentationIsNotFoundUnderAnotherModel()
    {
        var client = factory.Authorized();
        var (id, _) = await SubmitAsync(client, new ByteArrayContent(Phantoms.Zip()));
        var response = await client.GetAsync($"/api/v1/models/ThoraxCT/segmentation/{id}");
        await HttpAssertions.AssertErrorAsync(response, 404, "InvalidRunId", "application/problem+json");
    }

    [SkippableFact]
    public async Task SubmittingToAnUnknownModelIs404()
    {
        var response = await factory.Authorized().PostAsync("/api/v1/models/NoSuchModel/segmentation", new ByteArrayContent(Phantoms.Zip()));
        await HttpAssertions.AssertErrorAsync(response, 404, "InvalidModelId", "application/problem+json");
    }
}
