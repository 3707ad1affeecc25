using System.Globalization;
using System.Net;
using System.Text.Json;
using InnerEye.Gateway.Api.Tests.Support;
using InnerEye.Imaging.Tests.Support;
using Xunit.Abstractions;

namespace InnerEye.Gateway.Api.Tests;

/// <summary>
/// The production topology on one machine: a real redis-server, a GPU silo (GPU metadata, CPU provider here), a CPU
/// silo and the front end as an Orleans client, each its own process on loopback ports.
/// </summary>
[Trait("Category", "Cluster")]
public sealed class ClusterTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string Model = "PassThroughModel:1729";
    private const string Secret = "cluster-secret";
    private readonly TempDirectory _dir = new();
    private RedisServer _redis = null!;

    public async Task InitializeAsync()
    {
        _redis = new RedisServer(_dir.Combine("redis"), FreePorts.Next());
        if (ExternalProcess.IsInstalled(RedisServer.Program)) await _redis.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _redis.DisposeAsync();
        _dir.Dispose();
    }

    private Dictionary<string, string> Common() => new()
    {
        ["Cluster__Mode"] = "Redis",
        ["Cluster__Redis"] = _redis.Configuration,
        ["ORLEANS_SERVICE_ID"] = "innereye-test",
        ["ORLEANS_CLUSTER_ID"] = "cluster-test",
        ["Cluster__AdvertisedIP"] = "127.0.0.1",
        ["Storage__Path"] = _dir.Combine("shared"),
        ["Inference__IntraOpThreads"] = "1",
        ["Segmentation__RetryDelay"] = "00:00:00.500",
        ["Logging__LogLevel__Default"] = "Warning",
    };

    private Task<ServerProcess> StartSiloAsync(string role, string name, string? retention = null, int metricsPort = 0)
    {
        var env = Common();
        if (retention is not null) env["Segmentation__RetentionPeriod"] = retention;
        env["Metrics__Port"] = metricsPort.ToString(CultureInfo.InvariantCulture);
        env["Silo__Role"] = role;
        env["Cluster__SiloName"] = name;
        env["Cluster__SiloPort"] = FreePorts.Next().ToString(CultureInfo.InvariantCulture);
        env["Cluster__GatewayPort"] = FreePorts.Next().ToString(CultureInfo.InvariantCulture);
        env["ModelGrain__StagePause"] = "00:00:00.300";
        // Membership declares a killed silo dead within seconds rather than the production default's half minute.
        env["Cluster__Membership__ProbeTimeout"] = "00:00:01";
        // A silo joins only once every silo the membership table lists as active answers or is declared dead: after a
        // kill -9 that takes a few probe rounds, longer on a loaded machine.
        return ServerProcess.StartProgramAsync(ServerProcess.SiloProgramPath, FreePorts.Next(), env, readyTimeout: TimeSpan.FromMinutes(3));
    }

    private Task<ServerProcess> StartGatewayAsync(int metricsPort = 0)
    {
        var env = Common();
        env["Metrics__Port"] = metricsPort.ToString(CultureInfo.InvariantCulture);
        env["Api__AuthSecret"] = Secret;
        return ServerProcess.StartProgramAsync(ServerProcess.ProgramPath, FreePorts.Next(), env);
    }

    private static HttpClient Client(ServerProcess gateway)
    {
        var client = new HttpClient { BaseAddress = gateway.Address, Timeout = TimeSpan.FromMinutes(2) };
        client.DefaultRequestHeaders.Add("API_AUTH_SECRET", Secret);
        return client;
    }

    private static async Task<string> SubmitAsync(HttpClient client, byte[] zip)
    {
        var response = await client.PostAsync($"/v1/model/start/{Model}", new ByteArrayContent(zip));
        var id = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{response.StatusCode}: {id}");
        return id;
    }

    private static async Task<JsonElement> StatusAsync(HttpClient client, string id) =>
        JsonDocument.Parse(await client.GetStringAsync($"/api/v1/models/{Model}/segmentation/{id}")).RootElement;

    /// <summary>Polls every job until each has ended; every one must complete, exactly once.</summary>
    private static async Task AllCompleteOnceAsync(HttpClient client, IReadOnlyList<string> ids, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        var pending = ids.ToHashSet();
        while (pending.Count > 0 && DateTime.UtcNow < deadline)
        {
            foreach (var id in pending.ToList())
            {
                var status = await StatusAsync(client, id);
                var state = status.GetProperty("status").GetString();
                Assert.True(state is "queued" or "running" or "completed", status.ToString());
                if (state != "completed") continue;
                Assert.Single(status.GetProperty("stages").EnumerateArray(), s => s.GetProperty("stage").GetString() == "completed");
                pending.Remove(id);
            }
            await Task.Delay(500);
        }
        Assert.True(pending.Count == 0, $"not completed: {string.Join(", ", pending)}");
    }

    private static async Task AllDownloadAsync(HttpClient client, IEnumerable<string> ids)
    {
        foreach (var id in ids)
        {
            var response = await client.GetAsync($"/v1/model/results/{id}");
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{id}: {response.StatusCode}");
            HttpAssertions.AssertSingleEntryRtZip(await response.Content.ReadAsByteArrayAsync());
        }
    }

    [SkippableFact]
    public async Task TheJobListAndTheAuditTrailWorkAcrossTheCluster()
    {
        if (!ExternalProcess.Available(RedisServer.Program)) return;
        var gpu = await StartSiloAsync("gpu", "gpu-0", retention: "00:01:00");
        var cpu = await StartSiloAsync("cpu", "cpu-0", retention: "00:01:00");
        var gateway = await StartGatewayAsync();
        try
        {
            using var client = Client(gateway);
            var ids = new List<string>();
            for (var i = 0; i < 3; i++) ids.Add(await SubmitAsync(client, Phantoms.Zip(seed: 31 + i)));
            await AllCompleteOnceAsync(client, ids, TimeSpan.FromMinutes(3));

            // The index lives in Redis grain state; the listing reads it through the front end, a client of the cluster.
            var newestFirst = Enumerable.Reverse(ids).ToList();
            Assert.Equal(newestFirst, await Audit.JobListTests.AllPagesAsync(client, "?model=PassThroughModel", 2));
            Assert.Equal(newestFirst, await Audit.JobListTests.WaitListedAsync(client, $"?state=completed&model={Model}", newestFirst));
            Assert.Empty(await Audit.JobListTests.AllPagesAsync(client, "?state=queued", 10));
            var item = (await Audit.JobListTests.ListAsync(client, "?limit=1")).GetProperty("items")[0];
            Assert.Equal(("default", 100), (item.GetProperty("client").GetString(), item.GetProperty("progress").GetInt32()));

            // The front end's records are in <day>.jsonl; the retention deletions, made on the job silo, in its own file.
            var data = _dir.Combine("shared");
            foreach (var id in ids)
                Assert.Contains(AuditTrail.Of(data, id), r => r.Action == "submit" && r.Client == "default" && r.Status == 201);
            var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(3);
            while (ids.Any(id => !AuditTrail.Of(data, id).Any(r => r.Action == "retention-delete")) && DateTime.UtcNow < deadline)
                await Task.Delay(1000);
            var siloFile = Path.Combine(AuditTrail.Folder(data), $"{DateTime.UtcNow:yyyy-MM-dd}.cpu-0.jsonl");
            Assert.True(File.Exists(siloFile), string.Join(", ", Directory.EnumerateFiles(AuditTrail.Folder(data))));
            foreach (var id in ids)
            {
                var deletion = Assert.Single(Grains.Audit.AuditRecordJson.ReadFolder(AuditTrail.Folder(data)),
                    r => r.SegmentationId == id && r.Action == "retention-delete");
                Assert.Null(deletion.Client);
            }
            Assert.Empty(await Audit.JobListTests.AllPagesAsync(client, "?model=PassThroughModel", 10));
        }
        catch
        {
            output.WriteLine("--- gateway ---\n" + gateway.Output);
            output.WriteLine("--- cpu silo ---\n" + cpu.Output);
            throw;
        }
        finally
        {
            await gateway.DisposeAsync();
            await gpu.DisposeAsync();
            await cpu.DisposeAsync();
        }
    }

    [SkippableFact]
    public async Task KillingTheModelSiloLosesNoJobAndAFullRestartKeepsEveryResult()
    {
        ExternalProcess.Require(RedisServer.Program);
        var zip = Phantoms.Zip(seed: 3, size: 64, slices: 6);
        var gpu = await StartSiloAsync("gpu", "gpu-0");
        var cpu = await StartSiloAsync("cpu", "cpu-0");
        var gateway = await StartGatewayAsync();
        ServerProcess? replacement = null;
        try
        {
            using var client = Client(gateway);
            // The dashboard in the front end, a client, shows the cluster's silos.
            var silos = await client.GetAsync("/dashboard/ClusterStats");
            Assert.True(silos.StatusCode == HttpStatusCode.OK, $"{silos.StatusCode}: {await silos.Content.ReadAsStringAsync()}");

            var ids = new List<string>();
            for (var i = 0; i < 10; i++) ids.Add(await SubmitAsync(client, zip));

            // Kill -9 the GPU silo (it hosts the model grain) once the jobs are running through it.
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while ((await StatusAsync(client, ids[1])).GetProperty("status").GetString() == "queued" && DateTime.UtcNow < deadline)
                await Task.Delay(100);
            await gpu.KillAsync();
            output.WriteLine(
                "killed the GPU silo; statuses: " +
                $"{string.Join(" ", await Task.WhenAll(ids.Select(async id => (await StatusAsync(client, id)).GetProperty("status").GetString())))}");
            replacement = await StartSiloAsync("gpu", "gpu-1");

            await AllCompleteOnceAsync(client, ids, TimeSpan.FromMinutes(4));
            await AllDownloadAsync(client, ids);

            // Stop everything, Redis included, and start it all again: every result still downloads.
            await gateway.StopAsync(TimeSpan.FromSeconds(60));
            await replacement.StopAsync(TimeSpan.FromSeconds(60));
            await cpu.StopAsync(TimeSpan.FromSeconds(60));
            await _redis.StopAsync();
            await _redis.StartAsync();
            await using var cpu2 = await StartSiloAsync("cpu", "cpu-1");
            await using var gpu2 = await StartSiloAsync("gpu", "gpu-2");
            await using var gateway2 = await StartGatewayAsync();
            using var client2 = Client(gateway2);
            await AllCompleteOnceAsync(client2, ids, TimeSpan.FromSeconds(30));
            await AllDownloadAsync(client2, ids);
        }
        catch
        {
            output.WriteLine("--- gateway ---\n" + gateway.Output);
            output.WriteLine("--- cpu silo ---\n" + cpu.Output);
            output.WriteLine("--- replacement gpu silo ---\n" + replacement?.Output);
            throw;
        }
        finally
        {
            await gateway.DisposeAsync();
            await gpu.DisposeAsync();
            await cpu.DisposeAsync();
            if (replacement is not null) await replacement.DisposeAsync();
        }
    }

    [SkippableFact]
    [Trait("Category", "Slow")]
    public async Task StoppingASiloGracefullyWhileJobsRunFailsNone()
    {
        ExternalProcess.Require(RedisServer.Program);
        var zip = Phantoms.Zip(seed: 4, size: 64, slices: 6);
        await using var gpu = await StartSiloAsync("gpu", "gpu-0");
        var cpu = await StartSiloAsync("cpu", "cpu-0");
        await using var gateway = await StartGatewayAsync();
        using var client = Client(gateway);
        var ids = new List<string>();
        for (var i = 0; i < 6; i++) ids.Add(await SubmitAsync(client, zip));
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while ((await StatusAsync(client, ids[0])).GetProperty("status").GetString() == "queued" && DateTime.UtcNow < deadline)
            await Task.Delay(100);

        // A rolling restart of the CPU silo, which holds the jobs' grains: the new one starts, the old one stops.
        await using var cpu2 = await StartSiloAsync("cpu", "cpu-1");
        await cpu.StopAsync(TimeSpan.FromSeconds(90));
        output.WriteLine(cpu.Output);
        await cpu.DisposeAsync();

        await AllCompleteOnceAsync(client, ids, TimeSpan.FromMinutes(4));
        await AllDownloadAsync(client, ids);
    }

    [SkippableFact]
    public async Task EveryProcessServesMetricsAndTheJobCountsAddUp()
    {
        if (!ExternalProcess.Available(RedisServer.Program)) return;
        var ports = new[] { FreePorts.Next(), FreePorts.Next(), FreePorts.Next() };
        await using var gpu = await StartSiloAsync("gpu", "gpu-0", metricsPort: ports[0]);
        await using var cpu = await StartSiloAsync("cpu", "cpu-0", metricsPort: ports[1]);
        await using var gateway = await StartGatewayAsync(ports[2]);
        using var client = Client(gateway);

        // One job cancelled at once, one that fails (not a zip), three that complete.
        var cancelled = await SubmitAsync(client, Phantoms.Zip(seed: 6, size: 64, slices: 6));
        Assert.Equal(HttpStatusCode.Accepted, (await client.DeleteAsync($"/api/v1/models/{Model}/segmentation/{cancelled}")).StatusCode);
        var failed = await SubmitAsync(client, "not a zip"u8.ToArray());
        var completed = new List<string>();
        for (var i = 0; i < 3; i++) completed.Add(await SubmitAsync(client, Phantoms.Zip(seed: 7 + i, size: 64, slices: 6)));
        await AllCompleteOnceAsync(client, completed, TimeSpan.FromMinutes(3));
        var deadline = DateTime.UtcNow.AddMinutes(1);
        while ((await StatusAsync(client, failed)).GetProperty("status").GetString() != "failed" && DateTime.UtcNow < deadline)
            await Task.Delay(250);

        // Each process on its own metrics port, without the secret; the main ports have no /metrics.
        var texts = new List<string>();
        foreach (var port in ports)
        {
            using var scraper = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(30) };
            var text = await scraper.GetStringAsync("/metrics");
            Assert.Contains("orleans_", text, StringComparison.Ordinal);
            texts.Add(text);
        }
        foreach (var process in new[] { gpu, cpu, gateway })
        {
            using var main = new HttpClient { BaseAddress = process.Address };
            main.DefaultRequestHeaders.Add("API_AUTH_SECRET", Secret);
            Assert.Equal(HttpStatusCode.NotFound, (await main.GetAsync("/metrics")).StatusCode);
        }

        var all = string.Join("\n", texts);
        double Sum(string metric, params (string, string)[] labels) => PrometheusText.Sum(texts, metric, [("model", Model), .. labels]);
        Assert.True(Sum("innereye_jobs_submitted_total") == 5, all);
        Assert.True(Sum("innereye_jobs_completed_total") == 3, all);
        Assert.True(Sum("innereye_jobs_failed_total", ("code", "InvalidZip")) == 1, all);
        Assert.True(Sum("innereye_jobs_cancelled_total") == 1, all);
        Assert.Equal(Sum("innereye_jobs_submitted_total"),
            Sum("innereye_jobs_completed_total") + Sum("innereye_jobs_failed_total") + Sum("innereye_jobs_cancelled_total"));
        // A stage has a sample for each job that finished it: the three completed ones, and the cancelled one for each
        // stage it left for the next before the cancel reached it.
        var cancelledStages = (await StatusAsync(client, cancelled)).GetProperty("stages").EnumerateArray()
            .Select(st => st.GetProperty("stage").GetString()).ToHashSet();
        string[] order = ["decode", "resample", "inference", "postprocess", "contour", "write"];
        for (var i = 0; i < order.Length; i++)
        {
            var expected = 3 + (i + 1 < order.Length && cancelledStages.Contains(order[i + 1]) ? 1 : 0);
            Assert.True(Sum("innereye_job_stage_duration_seconds_count", ("stage", order[i])) == expected, $"{order[i]}:\n{all}");
        }
        Assert.True(Sum("innereye_job_stage_duration_seconds_count", ("stage", "queue")) >= 3, all);
        // The job grains live on the CPU silo, the model replica on the GPU silo, the uploads arrive at the front end.
        Assert.Equal(5, PrometheusText.Sum(texts[1], "innereye_jobs_submitted_total"));
        Assert.Equal(Sum("innereye_job_stage_duration_seconds_count", ("stage", "inference")),
            PrometheusText.Sum(texts[0], "innereye_job_stage_duration_seconds_count", ("stage", "inference")));
        Assert.True(PrometheusText.Sum(texts[2], "innereye_upload_bytes_total", ("client", "default")) > 0, texts[2]);
        Assert.True(PrometheusText.Sum(texts[0], "innereye_inference_network_duration_seconds_count") >= 3, texts[0]);
        Assert.Contains("innereye_replica_queue{", texts[0], StringComparison.Ordinal);
    }
}
