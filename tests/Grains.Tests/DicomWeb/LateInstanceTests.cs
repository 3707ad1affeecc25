using System.Globalization;
using InnerEye.Imaging.Dicom;

namespace InnerEye.Grains.Tests.DicomWeb;

/// <summary>An instance that arrives after its series was routed runs the whole series again.</summary>
[Collection(IntakeCollection.Name)]
[Trait("Category", "Cluster")]
public sealed class LateInstanceTests(IntakeClusterFixture fixture)
{
    [Fact]
    public async Task ALateInstanceStartsASecondSegmentationOfTheWholeSeries()
    {
        // In order along the patient's axis, so that the series without its last slice still has even gaps.
        var slices = fixture.PhantomSlices(seed: 301).OrderBy(Z).ToList();
        var series = IntakeClusterFixture.Attributes(slices[0], "kept");
        await fixture.ReceiveAsync(slices.Take(3).ToList(), "kept");
        var first = await fixture.SegmentationOfAsync(series.StudyInstanceUid);
        var firstDone = await fixture.Grains.WaitTerminalAsync(first);
        Assert.True(firstDone.State == JobState.Completed, firstDone.ToString());
        Assert.Equal([], firstDone.Deliveries);

        Assert.Equal([InstanceOutcome.Stored], await fixture.ReceiveAsync([slices[3]], "kept"));
        Assert.Equal(4, await fixture.Series(series.SeriesInstanceUid).GetInstanceCount());
        var started = await fixture.SegmentationsOfAsync(series.StudyInstanceUid, 2);
        Assert.Equal(2, started.Count);
        Assert.Equal(first, started[0]);
        var secondDone = await fixture.Grains.WaitTerminalAsync(started[1]);
        Assert.True(secondDone.State == JobState.Completed, secondDone.ToString());
        Assert.Equal(series.SeriesInstanceUid, secondDone.Origin!.SeriesByChannel["ct"]);
    }

    private static double Z(byte[] slice) =>
        double.Parse(DicomReader.Read(slice).Dataset.GetString(DicomTags.ImagePositionPatient)!.Split('\\')[2], CultureInfo.InvariantCulture);

    [Fact]
    public async Task ABatchOfAnotherSeriesIsRefused()
    {
        var slices = fixture.PhantomSlices(seed: 302);
        var series = IntakeClusterFixture.Attributes(slices[0], "kept");
        var instance = await fixture.IncomingAsync(slices[0]);
        await Assert.ThrowsAsync<ArgumentException>(() => fixture.Series("1.2.3.999").Receive(new ReceivedBatch(series, [instance])));
        Assert.Equal(0, await fixture.Series("1.2.3.999").GetInstanceCount());
    }
}
