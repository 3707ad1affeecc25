using InnerEye.Gateway.Api.Tests.Support;
using InnerEye.Imaging.Dicom;
using InnerEye.Imaging.Tests.Support;
using Xunit.Abstractions;

namespace InnerEye.Gateway.Api.Tests.DicomWeb;

/// <summary>What survives: acknowledged instances through kill -9, results through a destination that is down, and a destination that
/// refuses.</summary>
[Trait("Category", "DicomWeb")]
public sealed class DeliveryDurabilityTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);

    [SkippableFact]
    public async Task InstancesAcknowledgedBeforeAKill9AreKept_TheRestAfterTheRestartMakeOneJobOfTheWholeSeries()
    {
        using var dir = new TempDirectory();
        await using var capture = new CapturingHttpServer { Reply = _ => new CannedReply(200, Body: "{}") };
        var data = dir.Combine("service");
        var port = FreePorts.Next();
        // A long quiet period: the series must not be found complete while the service is down.
        var settings = DicomWebService.Settings(new Uri(capture.Address, "dicomweb/"),
            new Dictionary<string, string> { ["DicomWeb__SeriesQuietPeriod"] = "00:00:08" });
        var slices = StowSeries.Slices(seed: 71, size: 48, slices: 6);

        var service = await ServerProcess.StartAsync(port, data, settings);
        try
        {
            using (var client = DicomWebService.Client(service)) Assert.Equal(200, await DicomWebService.StowAsync(client, slices.Take(3)));
        }
        finally
        {
            await service.KillAsync();
            await service.DisposeAsync();
        }

        await using var restarted = await ServerProcess.StartAsync(port, data, settings);
        try
        {
            using var client = DicomWebService.Client(restarted);
            Assert.Equal(200, await DicomWebService.StowAsync(client, slices.Skip(3)));
            var ids = await DicomWebService.WaitForResultsAsync(data, r => r.Count > 0, Timeout);
            var id = Assert.Single(ids);
            await DicomWebService.WaitForDeliveryAsync(client, id, "delivered", Timeout);
            await Task.Delay(TimeSpan.FromSeconds(2));
            Assert.Single(DicomWebService.ResultIds(data));

            // The one job saw every instance: PassThroughModel contours every slice it is given.
            var rt = DicomReader.ReadFile(Path.Combine(data, "artifacts", "results", $"{id}.dcm")).Dataset;
            var referenced = rt.Items(new DicomTag(0x30060010u)).SelectMany(f => f.Items(new DicomTag(0x30060012u)))
                .SelectMany(s => s.Items(new DicomTag(0x30060014u))).SelectMany(s => s.Items(new DicomTag(0x30060016u)))
                .Select(i => i.GetFirstString(DicomTags.ReferencedSOPInstanceUID)!.Trim()).Order(StringComparer.Ordinal);
            Assert.Equal(slices.Select(f => StowSeries.Uid(f, DicomTags.SOPInstanceUID)).Order(StringComparer.Ordinal), referenced);
            Assert.Single(capture.Requests);
        }
        catch
        {
            output.WriteLine(restarted.Output);
            throw;
        }
    }

    [SkippableFact]
    public async Task WhileTheDestinationIsDownDeliveryIsRetried_OnceItIsBackTheRtArrivesExactlyOnce()
    {
        OrthancServer.Require();
        using var dir = new TempDirectory();
        await using var orthanc = new OrthancServer(dir.Combine("orthanc"), FreePorts.Next());
        await orthanc.StartAsync();
        var data = dir.Combine("service");
        await using var service = await ServerProcess.StartAsync(FreePorts.Next(), data, DicomWebService.Settings(orthanc.DicomWebRoot));
        try
        {
            var slices = StowSeries.Slices(seed: 72, size: 48, slices: 4);
            var study = StowSeries.Uid(slices[0], DicomTags.StudyInstanceUID);
            await orthanc.StopAsync();
            using var client = DicomWebService.Client(service);
            Assert.Equal(200, await DicomWebService.StowAsync(client, slices));
            var id = Assert.Single(await DicomWebService.WaitForResultsAsync(data, r => r.Count > 0, Timeout));

            // Refused connections are retried (every 1–2 s here) and the delivery stays pending.
            var deadline = DateTime.UtcNow + Timeout;
            System.Text.Json.JsonElement delivery;
            do
            {
                await Task.Delay(500);
                delivery = (await DicomWebService.StatusAsync(client, id)).GetProperty("deliveries")[0];
            }
            while (delivery.GetProperty("attempts").GetInt32() < 2 && DateTime.UtcNow < deadline);
            Assert.Equal("pending", delivery.GetProperty("state").GetString());
            Assert.True(delivery.GetProperty("attempts").GetInt32() >= 2, delivery.ToString());
            Assert.Contains("could not be reached", delivery.GetProperty("lastError").GetString(), StringComparison.Ordinal);

            await orthanc.StartAsync();
            var status = await DicomWebService.WaitForDeliveryAsync(client, id, "delivered", Timeout);
            Assert.True(status.GetProperty("deliveries")[0].TryGetProperty("deliveredAt", out var at)
                && at.ValueKind != System.Text.Json.JsonValueKind.Null);
            await Task.Delay(TimeSpan.FromSeconds(3));
            var held = await orthanc.WaitForInstancesAsync(study, _ => true, Timeout);
            Assert.Single(held, i => i.Modality == "RTSTRUCT");
        }
        catch
        {
            output.WriteLine(service.Output);
            throw;
        }
    }

    [SkippableFact]
    public async Task ADestinationThatAnswers400FailsTheDeliveryAtOnceWithTheReason_NoFurtherAttempts()
    {
        using var dir = new TempDirectory();
        await using var capture = new CapturingHttpServer
        {
            Reply = _ => new CannedReply(400, "text/plain", "Bad Request: the archive does not take RT Structure Sets"),
        };
        var data = dir.Combine("service");
        await using var service = await ServerProcess.StartAsync(FreePorts.Next(), data,
            DicomWebService.Settings(new Uri(capture.Address, "dicomweb/")));
        try
        {
            using var client = DicomWebService.Client(service);
            Assert.Equal(200, await DicomWebService.StowAsync(client, StowSeries.Slices(seed: 73, size: 48, slices: 3)));
            var id = Assert.Single(await DicomWebService.WaitForResultsAsync(data, r => r.Count > 0, Timeout));
            var status = await DicomWebService.WaitForDeliveryAsync(client, id, "failed", Timeout);
            var delivery = status.GetProperty("deliveries")[0];
            Assert.Equal(1, delivery.GetProperty("attempts").GetInt32());
            Assert.Contains("HTTP 400", delivery.GetProperty("lastError").GetString(), StringComparison.Ordinal);
            Assert.Contains("does not take RT Structure Sets", delivery.GetProperty("lastError").GetString(), StringComparison.Ordinal);
            await Task.Delay(TimeSpan.FromSeconds(4)); // longer than the retry delays
            var request = Assert.Single(capture.Requests);
            Assert.Equal("POST", request.Method);
            Assert.Equal("/dicomweb/studies", request.Target);
        }
        catch
        {
            output.WriteLine(service.Output);
            throw;
        }
    }
}
