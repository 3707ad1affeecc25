using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.RegularExpressions;
using InnerEye.Gateway.Api.Tests.Support;
using InnerEye.Imaging.Tests.Support;
using Xunit.Abstractions;

namespace InnerEye.Gateway.Api.Tests;

/// <summary>
/// The real embedded server in its own process on loopback, driven like the InnerEye gateway drives it (poll every
/// second), with gateway-anonymised phantom scans; the RT files are checked by dciodvfy and pydicom.
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed class EndToEndTests(ITestOutputHelper output)
{
    private static readonly string[] Structures = ["SpinalCord", "Lung_R", "Lung_L", "Heart", "Esophagus"];

    private static HttpClient GatewayClient(Uri address)
    {
        var client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromMinutes(10) };
        client.DefaultRequestHeaders.Add("API_AUTH_SECRET", "e2e-secret");
        client.DefaultRequestHeaders.UserAgent.ParseAdd("InnerEye-Gateway");
        client.DefaultRequestHeaders.Accept.ParseAdd("text/html");
        return client;
    }

    private static Dictionary<string, string> Environment(string? stagePause = null)
    {
        var env = new Dictionary<string, string> { ["Api__AuthSecret"] = "e2e-secret", ["Inference__IntraOpThreads"] = "1" };
        if (stagePause is not null) env["ModelGrain__StagePause"] = stagePause;
        return env;
    }

    private static async Task<string> StartV1Async(HttpClient client, string model, byte[] zip)
    {
        var content = new ByteArrayContent(zip);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/zip");
        var response = await client.PostAsync($"/v1/model/start/{model}", content);
        var id = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{response.StatusCode}: {id}");
        return id;
    }

    private static async Task<string> StartSeedAsync(HttpClient client, string model, byte[] zip)
    {
        var response = await client.PostAsync($"/api/v1/models/{model}/segmentation", new ByteArrayContent(zip));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.GetProperty("segmentationId").GetString()!;
    }

    /// <summary>Polls every second, as the gateway does, until the result zip arrives.</summary>
    private static async Task<byte[]> PollV1Async(HttpClient client, string id, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            HttpResponseMessage response;
            try
            {
                response = await client.GetAsync($"/v1/model/results/{id}");
            }
            catch (HttpRequestException)
            {
                await Task.Delay(1000); // the server is restarting
                continue;
            }
            if (response.StatusCode == HttpStatusCode.OK) return await response.Content.ReadAsByteArrayAsync();
            Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"{response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
            Assert.Empty(await response.Content.ReadAsByteArrayAsync());
            await Task.Delay(1000);
        }
        throw new TimeoutException($"Run {id} gave no result within {timeout}.");
    }

    private static async Task<byte[]> PollSeedAsync(HttpClient client, string model, string id, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            var status = JsonDocument.Parse(await client.GetStringAsync($"/api/v1/models/{model}/segmentation/{id}")).RootElement;
            var state = status.GetProperty("status").GetString();
            if (state == "completed") return await client.GetByteArrayAsync($"/api/v1/models/{model}/segmentation/{id}/result");
            Assert.True(state is "queued" or "running", status.ToString());
            await Task.Delay(1000);
        }
        throw new TimeoutException($"Segmentation {id} did not complete within {timeout}.");
    }

    /// <summary>dciodvfy reports no error but "Illegal root for UID" on the hashes copied from the input; pydicom reads it as the model's
    /// RT.</summary>
    private void CheckRt(byte[] dicom, string modelAsRequested, IReadOnlySet<string> hashedUids, TempDirectory dir)
    {
        var path = dir.NewPath("segmentation.dcm");
        File.WriteAllBytes(path, dicom);
        if (ExternalProcess.Available("/usr/bin/dciodvfy"))
        {
            var (_, stdout, stderr) = ExternalProcess.Run("/usr/bin/dciodvfy", [path], throwOnError: false);
            var report = stdout + stderr;
            var errors = report.Split('\n').Where(l => l.StartsWith("Error", StringComparison.Ordinal)).Where(l =>
            {
                var m = Regex.Match(l, "^Error - Illegal root for UID - \"([0-9]+)\"");
                return !(m.Success && hashedUids.Contains(m.Groups[1].Value));
            }).ToList();
            Assert.True(errors.Count == 0, string.Join('\n', errors));
            Assert.Contains("Illegal root for UID", report);
        }
        if (ExternalProcess.Available(ExternalProcess.Python, "pydicom"))
        {
            var (_, json, _) = ExternalProcess.Run(ExternalProcess.Python, [Path.Combine(ExternalProcess.ToolsDirectory, "read_rtstruct.py"), path]);
            var rt = JsonDocument.Parse(json).RootElement;
            output.WriteLine($"{modelAsRequested}: {rt.GetProperty("rois").GetArrayLength()} ROIs, {dicom.Length} bytes");
            Assert.Equal("RTSTRUCT", rt.GetProperty("modality").GetString());
            Assert.Equal(modelAsRequested, rt.GetProperty("software_versions").GetString());
            Assert.Equal(Structures, rt.GetProperty("rois").EnumerateArray().Select(r => r.GetProperty("name").GetString()));
            Assert.Contains(rt.GetProperty("study_instance_uid").GetString()!, hashedUids);
            Assert.Contains(rt.GetProperty("frame_of_reference_uid").GetString()!, hashedUids);
            Assert.All(rt.GetProperty("contour_images").EnumerateArray(), u => Assert.Contains(u.GetString()!, hashedUids));
            Assert.Equal(rt.GetProperty("file_size").GetInt32(), rt.GetProperty("walk_end").GetInt32());
            var contours = rt.GetProperty("rois").EnumerateArray().Sum(r => r.GetProperty("contours").GetArrayLength());
            Assert.True(contours > 0, "the RT has no contours");
        }
    }

    [SkippableFact]
    public async Task BothModelsThroughBothRouteFamiliesGiveValidRtStructureSets()
    {
        using var dir = new TempDirectory();
        var (zip, uids) = GatewayScans.Anonymised(seed: 7, size: 128, slices: 12);
        await using var server = await ServerProcess.StartAsync(FreePorts.Next(), dir.Combine("data"), Environment());
        using var client = GatewayClient(server.Address);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("v1/ping")).StatusCode); // relative, as the gateway calls it

        foreach (var model in new[] { "PassThroughModel:1729", "ThoraxCT" })
        {
            var id = await StartV1Async(client, model, zip);
            var result = await PollV1Async(client, id, TimeSpan.FromMinutes(5));
            CheckRt(HttpAssertions.AssertSingleEntryRtZip(result), model, uids, dir);
        }
        foreach (var model in new[] { "PassThroughModel", "ThoraxCT:1" })
        {
            var id = await StartSeedAsync(client, model, zip);
            var result = await PollSeedAsync(client, model, id, TimeSpan.FromMinutes(5));
            CheckRt(HttpAssertions.AssertSingleEntryRtZip(result), model, uids, dir);
        }
    }

    [SkippableFact]
    [Trait("Category", "Slow")]
    public async Task AJobSurvivesAServerKilledBetweenSubmitAndDownload()
    {
        using var dir = new TempDirectory();
        var (zip, uids) = GatewayScans.Anonymised(seed: 8, size: 96, slices: 8);
        var port = FreePorts.Next();
        var data = dir.Combine("data");
        var server = await ServerProcess.StartAsync(port, data, Environment(stagePause: "00:00:01"));
        byte[] before;
        string finished, interrupted;
        try
        {
            using var client = GatewayClient(server.Address);
            finished = await StartV1Async(client, "PassThroughModel:1729", zip);
            before = await PollV1Async(client, finished, TimeSpan.FromMinutes(2));

            interrupted = await StartV1Async(client, "PassThroughModel:1729", zip);
            var status = await client.GetAsync($"/v1/model/results/{interrupted}");
            Assert.Equal(HttpStatusCode.Accepted, status.StatusCode);
            await Task.Delay(1500); // into the pipeline's stages
            output.WriteLine(await client.GetStringAsync($"/api/v1/models/PassThroughModel:1729/segmentation/{interrupted}"));
        }
        finally
        {
            await server.KillAsync();
            await server.DisposeAsync();
        }

        await using var restarted = await ServerProcess.StartAsync(port, data, Environment(stagePause: "00:00:01"));
        using var again = GatewayClient(restarted.Address);
        var result = await PollV1Async(again, interrupted, TimeSpan.FromMinutes(3));
        CheckRt(HttpAssertions.AssertSingleEntryRtZip(result), "PassThroughModel:1729", uids, dir);
        var status2 = JsonDocument.Parse(await again.GetStringAsync($"/api/v1/models/PassThroughModel:1729/segmentation/{interrupted}")).RootElement;
        output.WriteLine(status2.ToString());
        Assert.Single(status2.GetProperty("stages").EnumerateArray(), s => s.GetProperty("stage").GetString() == "completed");

        // The result finished before the restart is still there, byte for byte.
        Assert.Equal(before, await PollV1Async(again, finished, TimeSpan.FromSeconds(30)));
    }
}
