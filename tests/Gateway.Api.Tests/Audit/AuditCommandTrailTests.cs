using System.Net;
using System.Text.Json;
using InnerEye.Cli;
using InnerEye.Gateway.Api.Tests.Support;
using InnerEye.Grains.Audit;

namespace InnerEye.Gateway.Api.Tests.Audit;

/// <summary><c>innereye audit</c> reads the trail the service itself writes: every record, filtered by client, in order.</summary>
public sealed class AuditCommandTrailTests(AuditFactory factory) : IClassFixture<AuditFactory>
{
    private const string Model = "PassThroughModel";

    [SkippableFact]
    public async Task TheCommandPrintsAndFiltersTheServicesOwnTrail()
    {
        var alice = factory.As(AuditFactory.AliceKey);
        var bob = factory.As(AuditFactory.BobKey);
        using var created = await alice.PostAsync($"/api/v1/models/{Model}/segmentation", new ByteArrayContent(Phantoms.Zip(seed: 23)));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("segmentationId").GetString()!;
        await HttpAssertions.WaitForStatusAsync(bob, Model, id, "completed");
        using var result = await bob.GetAsync($"/api/v1/models/{Model}/segmentation/{id}/result");
        Assert.Equal(HttpStatusCode.OK, result.StatusCode);

        var written = AuditTrail.Read(factory.DataPath);
        var folder = AuditTrail.Folder(factory.DataPath);

        var (code, json, errors) = await RunAsync("audit", folder, "--json");
        Assert.True(code == 0, errors);
        Assert.Equal("", errors);
        var lines = json.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var printed = lines.Select(AuditRecordJson.Parse).ToList();
        Assert.Equal(printed.OrderBy(r => r.Time).ToList(), printed);
        Assert.Equal(written.OrderBy(r => r.Time).ToList(), printed);

        (code, json, errors) = await RunAsync("audit", folder, "--client", "bob", "--json");
        Assert.True(code == 0, errors);
        var bobs = json.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(AuditRecordJson.Parse).ToList();
        Assert.Contains(bobs, r => r.SegmentationId == id && r.Action == AuditActions.Download && r.Status == 200);
        Assert.All(bobs, r => Assert.Equal("bob", r.Client));
        Assert.Equal(written.Count(r => r.Client == "bob"), bobs.Count);

        var (textCode, text, _) = await RunAsync("audit", folder, "--client", "alice", "--action", "submit");
        Assert.Equal(0, textCode);
        Assert.Contains(text.Split('\n'), l => l.Contains(id, StringComparison.Ordinal) && l.Contains("submit", StringComparison.Ordinal));
    }

    private static async Task<(int Code, string Out, string Err)> RunAsync(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await CommandLine.RunAsync(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }
}
