using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using InnerEye.Grains.Audit;
using InnerEye.Grains.Storage;
using InnerEye.Grains.Telemetry;

namespace InnerEye.Grains.Tests.DicomWeb;

/// <summary>A result's delivery stops at once when refused for good, and is retried with back-off when the server is unavailable.</summary>
[Collection(IntakeCollection.Name)]
[Trait("Category", "Cluster")]
public sealed class DeliveryRetryTests(IntakeClusterFixture fixture)
{
    private async Task<(string Id, DeliveryStatus Delivery)> DeliverAsync(int seed, string rule)
    {
        var slices = fixture.PhantomSlices(seed);
        await fixture.ReceiveAsync(slices, rule);
        var id = await fixture.SegmentationOfAsync(IntakeClusterFixture.Attributes(slices[0], rule).StudyInstanceUid);
        var done = await fixture.Grains.WaitAsync(id, s => s.IsTerminal && s.Deliveries is [{ State: not DeliveryState.Pending }]);
        Assert.Equal(JobState.Completed, done.State);
        var delivery = Assert.Single(done.Deliveries!);
        Assert.Equal(rule, delivery.Destination);
        return (id, delivery);
    }

    /// <summary>The one audit record of the delivery's end (none for each retry), with the study's keyed hash, never its UID.</summary>
    private AuditRecord DeliveryRecord(string id, int seed)
    {
        var record = Assert.Single(AuditRecordJson.ReadFolder(fixture.Grains.AuditFolder),
            r => r.SegmentationId == id && r.Action == AuditActions.Delivery);
        var study = IntakeClusterFixture.Attributes(fixture.PhantomSlices(seed)[0], "x").StudyInstanceUid;
        Assert.Equal(StudyHasher.Load(null, fixture.Grains.AuditFolder, StoragePermissions.Default).Hash(study), record.StudyHash);
        Assert.Equal((null, null, null, "PassThroughModel"), (record.Client, record.Route, record.Status, record.ModelId));
        Assert.DoesNotContain(study, string.Join("\n", Directory.EnumerateFiles(fixture.Grains.AuditFolder, "*.jsonl").Select(File.ReadAllText)),
            StringComparison.Ordinal);
        return record;
    }

    [Fact]
    public async Task ARefusalFailsTheDeliveryAtOnce()
    {
        var (id, delivery) = await DeliverAsync(seed: 201, "refusing");
        Assert.Equal("failed: refusing", DeliveryRecord(id, 201).Outcome);
        Assert.Equal(DeliveryState.Failed, delivery.State);
        Assert.Equal(1, delivery.Attempts);
        Assert.Equal("HTTP 400: The study is closed.", delivery.LastError);
        Assert.Null(delivery.NextAttemptAt);

        await Task.Delay(TimeSpan.FromSeconds(2)); // past the first retry delay: no second attempt
        Assert.Single(fixture.Refusing.Requests);
    }

    [Fact]
    public async Task AnUnavailableServerIsTriedAgainUntilItTakesTheResult()
    {
        var outcomes = new ConcurrentQueue<string>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == InnerEyeMetrics.MeterName && instrument.Name == "innereye.delivery.attempts")
                l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((_, _, tags, _) =>
        {
            var labels = tags.ToArray().ToDictionary(t => t.Key, t => t.Value as string);
            if (labels.GetValueOrDefault("destination") == "flaky") outcomes.Enqueue(labels["outcome"]!);
        });
        listener.Start();

        var (id, delivery) = await DeliverAsync(seed: 202, "flaky");
        Assert.Equal(AuditActions.Ok, DeliveryRecord(id, 202).Outcome);
        Assert.Equal(DeliveryState.Delivered, delivery.State);
        Assert.Equal(3, delivery.Attempts);
        Assert.Null(delivery.LastError);
        var requests = fixture.Flaky.Requests;
        Assert.Equal(3, requests.Count);
        var parts = await Task.WhenAll(requests.Select(IntakeClusterFixture.SinglePartAsync));
        Assert.All(parts, p => Assert.Equal(parts[0], p)); // the same file every time
        // Each attempt is counted by its outcome.
        Assert.Equal(["transient", "transient", "delivered"], outcomes.ToArray());
    }
}
