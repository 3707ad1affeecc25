using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using InnerEye.Gateway.Api.Tests.Support;
using InnerEye.Grains.Audit;
using InnerEye.Grains.Storage;
using InnerEye.Imaging.Dicom;
using Microsoft.Extensions.DependencyInjection;

namespace InnerEye.Gateway.Api.Tests.Audit;

/// <summary>
/// Every route that touches a job leaves its audit record, naming the client of the key used, the action, the route
/// template, the status and the job, in the file before the response reaches the client (each record is read right after
/// the response headers arrive); no record holds patient data.
/// </summary>
public sealed class AuditTrailTests(AuditFactory factory) : IClassFixture<AuditFactory>
{
    private const string Model = "PassThroughModel";
    private const string SeedRoute = "/api/v1/models/{modelId}/segmentation";

    private string Data => factory.DataPath;

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, HttpMethod method, string url, HttpContent? content = null)
    {
        using var request = new HttpRequestMessage(method, url) { Content = content };
        return await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
    }

    private void AssertLast(string client, string action, string route, int status, string? segmentationId, string outcome = AuditActions.Ok)
    {
        var r = AuditTrail.Last(Data);
        Assert.True(r.Client == client && r.Action == action && r.Route == route && r.Status == status && r.SegmentationId == segmentationId &&
            r.Outcome == outcome, $"expected {client} {action} {route} {status} {segmentationId} {outcome}; the last record is {r}");
        Assert.True(DateTimeOffset.UtcNow - r.Time < TimeSpan.FromMinutes(1), r.ToString());
    }

    [SkippableFact]
    public async Task TheSeedRoutesRecordEachClientsSubmitStatusDownloadAndCancel()
    {
        var alice = factory.As(AuditFactory.AliceKey);
        var bob = factory.As(AuditFactory.BobKey);
        var zip = Phantoms.Zip(seed: 11);

        var created = await SendAsync(alice, HttpMethod.Post, $"/api/v1/models/{Model}/segmentation", new ByteArrayContent(zip));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var submit = AuditTrail.Last(Data);
        var id = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("segmentationId").GetString()!;
        Assert.Equal(new AuditRecord(submit.Time, "alice", AuditActions.Submit, $"POST {SeedRoute}", 201, Model, "1729", id, null, zip.Length,
            AuditActions.Ok), submit);

        var status = await SendAsync(bob, HttpMethod.Get, $"/api/v1/models/{Model}/segmentation/{id}");
        AssertLast("bob", AuditActions.Status, $"GET {SeedRoute}/{{segmentationId}}", 200, id);
        Assert.Equal("alice", JsonDocument.Parse(await status.Content.ReadAsStringAsync()).RootElement.GetProperty("client").GetString());

        var early = await SendAsync(alice, HttpMethod.Get, $"/api/v1/models/{Model}/segmentation/{id}/result");
        if (early.StatusCode == HttpStatusCode.Conflict)
        {
            var state = JsonDocument.Parse(await early.Content.ReadAsStringAsync()).RootElement.GetProperty("status").GetString()!;
            AssertLast("alice", AuditActions.Download, $"GET {SeedRoute}/{{segmentationId}}/result", 409, id, state);
        }

        await HttpAssertions.WaitForStatusAsync(alice, Model, id, "completed");
        var result = await SendAsync(bob, HttpMethod.Get, $"/api/v1/models/{Model}/segmentation/{id}/result");
        Assert.Equal(HttpStatusCode.OK, result.StatusCode);
        var download = AuditTrail.Last(Data);
        AssertLast("bob", AuditActions.Download, $"GET {SeedRoute}/{{segmentationId}}/result", 200, id);
        Assert.Equal((await result.Content.ReadAsByteArrayAsync()).Length, download.Bytes);
        // The job decoded the series, so its records now carry the study's keyed hash.
        var hasher = StudyHasher.Load(null, AuditTrail.Folder(Data), StoragePermissions.Default);
        var study = StowSeries.Uid(AuditTrail.ZipEntries(zip)[0], DicomTags.StudyInstanceUID);
        Assert.Equal(hasher.Hash(study), download.StudyHash);
        Assert.Matches("^[0-9a-f]{32}$", download.StudyHash!);

        await SendAsync(alice, HttpMethod.Get, $"/api/v1/models/{Model}/segmentation/{id}/result?format=seg");
        AssertLast("alice", AuditActions.Download, $"GET {SeedRoute}/{{segmentationId}}/result", 200, id);
        await SendAsync(alice, HttpMethod.Get, $"/api/v1/models/{Model}/segmentation/{id}/result?format=gif");
        AssertLast("alice", AuditActions.Download, $"GET {SeedRoute}/{{segmentationId}}/result", 400, id, "UnknownResultFormat");
        await SendAsync(bob, HttpMethod.Head, $"/api/v1/models/{Model}/segmentation/{id}");
        AssertLast("bob", AuditActions.Status, $"HEAD {SeedRoute}/{{segmentationId}}", 200, id);

        await SendAsync(bob, HttpMethod.Delete, $"/api/v1/models/{Model}/segmentation/{id}");
        AssertLast("bob", AuditActions.Cancel, $"DELETE {SeedRoute}/{{segmentationId}}", 202, id);

        var unknown = Guid.CreateVersion7().ToString("N");
        await SendAsync(factory.Authorized(), HttpMethod.Get, $"/api/v1/models/{Model}/segmentation/{unknown}");
        AssertLast("default", AuditActions.Status, $"GET {SeedRoute}/{{segmentationId}}", 404, unknown, "SegmentationNotFound");

        await SendAsync(alice, HttpMethod.Post, $"/api/v1/models/NoSuchModel/segmentation", new ByteArrayContent(zip));
        var refused = AuditTrail.Last(Data);
        Assert.Equal((AuditActions.Submit, 404, "ModelNotFound", "NoSuchModel", (string?)null, (string?)null),
            (refused.Action, refused.Status, refused.Outcome, refused.ModelId, refused.ModelVersion, refused.SegmentationId));

        await SendAsync(alice, HttpMethod.Get, "/api/v1/segmentations?limit=5");
        AssertLast("alice", AuditActions.List, "GET /api/v1/segmentations", 200, null);

        Assert.Equal(["submit", "status", "download", "cancel"], AuditTrail.Of(Data, id).Select(r => r.Action).Distinct());
        AuditTrail.AssertHoldsNone(Data, AuditTrail.PatientData(AuditTrail.ZipEntries(zip)));
    }

    [SkippableFact]
    public async Task TheInnerEyeRoutesRecordTheirSubmitStatusAndDownload()
    {
        var bob = factory.As(AuditFactory.BobKey);
        var zip = Phantoms.Zip(seed: 12);
        var start = await SendAsync(bob, HttpMethod.Post, $"/v1/model/start/{Model}:1729", new ByteArrayContent(zip));
        Assert.Equal(HttpStatusCode.Created, start.StatusCode);
        var id = await start.Content.ReadAsStringAsync();
        var submit = AuditTrail.Last(Data);
        Assert.Equal(new AuditRecord(submit.Time, "bob", AuditActions.Submit, "POST /v1/model/start/{modelId}", 201, Model, "1729", id, null,
            zip.Length, AuditActions.Ok), submit);

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        HttpResponseMessage poll;
        while ((poll = await SendAsync(bob, HttpMethod.Get, $"/v1/model/results/{id}")).StatusCode == HttpStatusCode.Accepted)
        {
            AssertLast("bob", AuditActions.Status, "GET /v1/model/results/{runId}", 202, id);
            Assert.True(DateTime.UtcNow < deadline, "the job did not complete");
            await Task.Delay(200);
        }
        Assert.Equal(HttpStatusCode.OK, poll.StatusCode);
        var download = AuditTrail.Last(Data);
        AssertLast("bob", AuditActions.Download, "GET /v1/model/results/{runId}", 200, id);
        Assert.Equal((await poll.Content.ReadAsByteArrayAsync()).Length, download.Bytes);

        await SendAsync(bob, HttpMethod.Get, "/v1/model/results/nosuchrun");
        AssertLast("bob", AuditActions.Status, "GET /v1/model/results/{runId}", 404, "nosuchrun", "ResourceNotFound");
        AuditTrail.AssertHoldsNone(Data, AuditTrail.PatientData(AuditTrail.ZipEntries(zip)));
    }

    [SkippableFact]
    public async Task DicomWebIntakeAndRetrievalRecordTheStudyHashNeverTheUid()
    {
        var alice = factory.As(AuditFactory.AliceKey);
        var slices = StowSeries.Slices(seed: 13);
        var study = StowSeries.Uid(slices[0], DicomTags.StudyInstanceUID);
        var body = StowSeries.Body(slices, "audit-boundary");
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(StowSeries.ContentType("audit-boundary"));
        var stow = await SendAsync(alice, HttpMethod.Post, "/dicomweb/studies", content);
        Assert.Equal(HttpStatusCode.OK, stow.StatusCode);
        var record = AuditTrail.Last(Data);
        var hasher = StudyHasher.Load(null, AuditTrail.Folder(Data), StoragePermissions.Default);
        Assert.Equal(new AuditRecord(record.Time, "alice", AuditActions.Stow, "POST /dicomweb/studies", 200, null, null, null, hasher.Hash(study),
            body.Length, AuditActions.Ok), record);

        await SendAsync(alice, HttpMethod.Get, $"/dicomweb/studies/{study}/series");
        var search = AuditTrail.Last(Data);
        Assert.Equal((AuditActions.Status, "GET /dicomweb/studies/{study}/series", 204, hasher.Hash(study)),
            (search.Action, search.Route, search.Status, search.StudyHash));
        await SendAsync(alice, HttpMethod.Get, $"/dicomweb/studies/{study}/series/{StowSeries.Uid(slices[0], DicomTags.SeriesInstanceUID)}");
        var retrieve = AuditTrail.Last(Data);
        Assert.Equal((AuditActions.Download, "GET /dicomweb/studies/{study}/series/{series}", 404, "NotFound"),
            (retrieve.Action, retrieve.Route, retrieve.Status, retrieve.Outcome));
        AuditTrail.AssertHoldsNone(Data, AuditTrail.PatientData(slices));
    }

    [SkippableFact]
    public async Task EveryFieldIsWrittenEvenWhenNull()
    {
        await SendAsync(factory.As(AuditFactory.AliceKey), HttpMethod.Get, "/api/v1/segmentations");
        var file = Directory.EnumerateFiles(AuditTrail.Folder(Data), "*.jsonl").Single(f => Path.GetFileName(f).Length == "yyyy-MM-dd.jsonl".Length);
        var line = JsonDocument.Parse(File.ReadLines(file).Last()).RootElement;
        Assert.Equal(["time", "client", "action", "route", "status", "modelId", "modelVersion", "segmentationId", "studyHash", "bytes", "outcome"],
            line.EnumerateObject().Select(p => p.Name));
        Assert.Equal(JsonValueKind.Null, line.GetProperty("segmentationId").ValueKind);
        Assert.EndsWith("Z", line.GetProperty("time").GetString(), StringComparison.Ordinal);
        Assert.Equal($"{DateTime.UtcNow:yyyy-MM-dd}.jsonl", Path.GetFileName(file));
        var log = factory.Services.GetRequiredService<IAuditLog>();
        Assert.Equal(Path.GetFullPath(AuditTrail.Folder(Data)), log.Folder);
        Assert.Equal((AuditActions.List, "alice"), (log.ReadAll()[^1].Action, log.ReadAll()[^1].Client));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
            var key = Path.Combine(AuditTrail.Folder(Data), StudyHasher.KeyFileName);
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(key));
        }
    }
}
