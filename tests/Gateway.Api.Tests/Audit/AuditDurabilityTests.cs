using System.Net;
using System.Text.Json;
using InnerEye.Gateway.Api.Tests.Support;
using InnerEye.Grains.Audit;
using InnerEye.Imaging.Tests.Support;

namespace InnerEye.Gateway.Api.Tests.Audit;

/// <summary>The audit trail of the real server process: records survive kill -9, a restart appends, retention leaves its record.</summary>
[Trait("Category", "EndToEnd")]
public sealed class AuditDurabilityTests
{
    private const string Secret = "audit-durability-secret";
    private const string Model = "PassThroughModel";

    private static HttpClient Client(ServerProcess server)
    {
        var client = new HttpClient { BaseAddress = server.Address, Timeout = TimeSpan.FromMinutes(2) };
        client.DefaultRequestHeaders.Add("API_AUTH_SECRET", Secret);
        return client;
    }

    [SkippableFact]
    public async Task RecordsSurviveKillDashNineAndARestartAppends()
    {
        using var dir = new TempDirectory();
        var data = dir.Combine("data");
        var env = new Dictionary<string, string> { ["Api__AuthSecret"] = Secret };
        string id;
        await using (var server = await ServerProcess.StartAsync(FreePorts.Next(), data, env))
        {
            using var client = Client(server);
            var created = await client.PostAsync($"/v1/model/start/{Model}", new ByteArrayContent(Phantoms.Zip(seed: 21)));
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            id = await created.Content.ReadAsStringAsync();
            Assert.True((await client.GetAsync($"/api/v1/models/{Model}/segmentation/{id}")).IsSuccessStatusCode);
            await server.KillAsync(); // SIGKILL: no shutdown, no flush beyond what each write did
        }
        var afterKill = AuditTrail.Of(data, id);
        Assert.Equal([AuditActions.Submit, AuditActions.Status], afterKill.Select(r => r.Action));
        Assert.All(afterKill, r => Assert.Equal("default", r.Client));
        var bytesBefore = new FileInfo(Directory.EnumerateFiles(AuditTrail.Folder(data), "*.jsonl").Single()).Length;

        await using (var server = await ServerProcess.StartAsync(FreePorts.Next(), data, env))
        {
            using var client = Client(server);
            await HttpAssertions.WaitForStatusAsync(client, Model, id, "completed");
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/v1/model/results/{id}")).StatusCode);
        }
        var records = AuditTrail.Of(data, id);
        Assert.Equal(afterKill, records.Take(afterKill.Count));
        Assert.Equal(AuditActions.Download, records[^1].Action);
        Assert.True(new FileInfo(Directory.EnumerateFiles(AuditTrail.Folder(data), "*.jsonl").Single()).Length > bytesBefore);
        Assert.Single(records, r => r.Action == AuditActions.Submit);
    }

    [SkippableFact]
    [Trait("Category", "Slow")]
    public async Task RetentionDeletionLeavesARecordAndTakesTheJobOffTheList()
    {
        using var dir = new TempDirectory();
        var data = dir.Combine("data");
        await using var server = await ServerProcess.StartAsync(FreePorts.Next(), data, new Dictionary<string, string>
        {
            ["Api__AuthSecret"] = Secret,
            ["Segmentation__RetentionPeriod"] = "00:00:03",
        });
        using var client = Client(server);
        var created = await client.PostAsync($"/api/v1/models/{Model}/segmentation", new ByteArrayContent(Phantoms.Zip(seed: 22)));
        var id = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("segmentationId").GetString()!;
        Assert.Contains(id, await JobListTests.AllPagesAsync(client, "?model=PassThroughModel", 50)); // listed before the submit answers
        await HttpAssertions.WaitForStatusAsync(client, Model, id, "completed");

        // The retention reminder is due three seconds after completion; the reminder service delivers it within about a minute.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(150);
        while ((await client.GetAsync($"/api/v1/models/{Model}/segmentation/{id}")).StatusCode != HttpStatusCode.NotFound)
        {
            Assert.True(DateTime.UtcNow < deadline, $"the job was not deleted\n{server.Output}");
            await Task.Delay(500);
        }
        var deletion = Assert.Single(AuditTrail.Of(data, id), r => r.Action == AuditActions.RetentionDelete);
        Assert.Equal(new AuditRecord(deletion.Time, null, AuditActions.RetentionDelete, null, null, Model, null, id, deletion.StudyHash, null,
            AuditActions.Ok), deletion);
        Assert.Matches("^[0-9a-f]{32}$", deletion.StudyHash!);
        Assert.DoesNotContain(id, await JobListTests.AllPagesAsync(client, "?state=completed", 50));
        Assert.DoesNotContain(id, await JobListTests.AllPagesAsync(client, "?x=1", 500));
    }
}
