using InnerEye.Grains.DicomWeb;

namespace InnerEye.Grains.Tests.DicomWeb;

/// <summary>A series received by STOW-RS: routed, segmented and delivered once; or, matched by no rule, deleted.</summary>
[Collection(IntakeCollection.Name)]
[Trait("Category", "Cluster")]
public sealed class IntakeFlowTests(IntakeClusterFixture fixture)
{
    [Fact]
    public async Task ARoutedSeriesIsSegmentedOnceAndItsResultDelivered()
    {
        var slices = fixture.PhantomSlices(seed: 101);
        var series = IntakeClusterFixture.Attributes(slices[0], "ok");
        Assert.Equal(Enumerable.Repeat(InstanceOutcome.Stored, slices.Count), await fixture.ReceiveAsync(slices, "ok"));

        // The same instance again, with the same bytes: acknowledged, not kept.
        var again = await fixture.IncomingAsync(slices[1]);
        var outcomes = await fixture.Series(series.SeriesInstanceUid).Receive(new ReceivedBatch(series, [again]));
        Assert.Equal([InstanceOutcome.Duplicate], outcomes);
        Assert.False(fixture.Grains.Store.Exists(again.Incoming));
        Assert.Equal(slices.Count, await fixture.Series(series.SeriesInstanceUid).GetInstanceCount());

        var id = await fixture.SegmentationOfAsync(series.StudyInstanceUid);
        var done = await fixture.Grains.WaitTerminalAsync(id);
        Assert.True(done.State == JobState.Completed, done.ToString());
        Assert.NotNull(done.Origin);
        Assert.Equal(series.StudyInstanceUid, done.Origin.StudyInstanceUid);
        Assert.Equal(new Dictionary<string, string> { ["ct"] = series.SeriesInstanceUid }, done.Origin.SeriesByChannel);
        Assert.Equal("ok", done.Origin.Rule);
        Assert.Equal(["ok"], done.Origin.Destinations);

        var delivered = await fixture.Grains.WaitAsync(id, s => s.Deliveries is [{ State: not DeliveryState.Pending }]);
        var delivery = Assert.Single(delivered.Deliveries!);
        Assert.Equal(DeliveryState.Delivered, delivery.State);
        Assert.Equal("ok", delivery.Destination);
        Assert.Equal(1, delivery.Attempts);
        Assert.Null(delivery.LastError);
        Assert.NotNull(delivery.DeliveredAt);

        var request = Assert.Single(fixture.Ok.Requests);
        Assert.Equal("/dicom-web/studies", request.Path);
        Assert.Equal(await fixture.ResultBytesAsync(done), await IntakeClusterFixture.SinglePartAsync(request));
        Assert.Equal([id], await fixture.Study(series.StudyInstanceUid).GetSegmentations());
    }

    [Fact]
    public async Task ASeriesNoRuleMatchesStartsNothingAndIsDeletedAfterItsRetention()
    {
        var slices = fixture.PhantomSlices(seed: 102);
        var series = IntakeClusterFixture.Attributes(slices[0], "Scout");
        await fixture.ReceiveAsync(slices, "Scout");
        var folder = new ArtifactRef(IntakeKeys.SeriesFolder(series.SeriesInstanceUid));
        Assert.True(fixture.Grains.Store.Exists(folder));
        Assert.Equal(slices.Count, await fixture.Series(series.SeriesInstanceUid).GetInstanceCount());

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (fixture.Grains.Store.Exists(folder) && DateTime.UtcNow < deadline) await Task.Delay(100);
        Assert.False(fixture.Grains.Store.Exists(folder));
        Assert.Equal(0, await fixture.Series(series.SeriesInstanceUid).GetInstanceCount());
        Assert.Empty(await fixture.Study(series.StudyInstanceUid).GetSegmentations());
    }
}
