using System.Security.Cryptography;
using InnerEye.Grains.DicomWeb;
using InnerEye.Grains.Tests.Support;
using InnerEye.Imaging.Dicom;
using InnerEye.Imaging.Phantoms;
using InnerEye.Imaging.Rt;
using InnerEye.Inference;

namespace InnerEye.Grains.Tests.DicomWeb;

[CollectionDefinition(Name)]
public sealed class MultiChannelIntakeCollection : ICollectionFixture<MultiChannelIntakeFixture>
{
    public const string Name = "DICOMweb multi-channel intake";
}

/// <summary>
/// One silo running DICOMweb intake with a single multi-channel rule: a CT series feeds channel "ct" and an MR series
/// channel "mr" of a real two-channel model (two_channel.onnx: label 1 where both channels are above 0). Reminders tick
/// every second, so that a study's wait for its other channel ends within seconds of the unrouted retention.
/// </summary>
public sealed class MultiChannelIntakeFixture : IAsyncLifetime
{
    public const string Rule = "ct-mr";

    public const string MrImageStorage = "1.2.840.10008.5.1.4.1.1.4";

    public static readonly TimeSpan QuietPeriod = TimeSpan.FromSeconds(1);

    /// <summary>Long enough for a study's MR to follow its CT in the tests, short enough to see a lone CT dropped.</summary>
    public static readonly TimeSpan UnroutedRetention = TimeSpan.FromSeconds(5);

    public static readonly TimeSpan ReminderPeriod = TimeSpan.FromSeconds(1);

    /// <summary>The two-channel test model, configured as the inference tests configure it (HU / 1000 on [−1000, 1000]).</summary>
    public static ModelConfig TwoChannelModel { get; } = new("TwoChannelModel", "3", "Two-channel test model", "two_channel.onnx", "input",
        "posteriors", [new InputChannelConfig("ct", "CT"), new InputChannelConfig("mr", "MR")],
        new PreprocessingConfig(new WindowConfig(0, 2000, -1, 1), null, [0, 0, 0], [0, 0, 0]),
        [new StructureConfig("Structure1", 40, 0, 255, "ORGAN", false)],
        PostprocessingConfig.None, new RtConfig("Test_Manufacturer", "Test_Interpreter"))
    {
        OnnxPath = Path.Combine(AppContext.BaseDirectory, "Models", "two_channel.onnx"),
    };

    public GrainCluster Grains { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Grains = await GrainCluster.StartAsync(new GrainClusterOptions
        {
            Silos = 1,
            GpuSilos = new HashSet<string> { "Silo_0" },
            ExtraModels = [TwoChannelModel],
            RedriveInterval = ReminderPeriod,
            Configuration = new Dictionary<string, string?>
            {
                ["DicomWeb:SeriesQuietPeriod"] = QuietPeriod.ToString(),
                ["DicomWeb:UnroutedRetention"] = UnroutedRetention.ToString(),
                ["DicomWeb:Routes:0:Name"] = Rule,
                ["DicomWeb:Routes:0:Model"] = TwoChannelModel.Id,
                ["DicomWeb:Routes:0:Channels:ct:Modality"] = "CT",
                ["DicomWeb:Routes:0:Channels:mr:Modality"] = "MR",
            },
        });
    }

    public Task DisposeAsync() => Grains.DisposeAsync().AsTask();

    /// <summary>
    /// The slices of a phantom (its study follows from the seed) as DICOM files: the phantom's CT series, or the same
    /// pixels and geometry as an MR series with its own series and instance UIDs.
    /// </summary>
    public static IReadOnlyList<byte[]> PhantomSeries(int seed, string modality, string description = "MR series")
    {
        var phantom = ThoraxPhantom.Generate(new ThoraxPhantomOptions { Seed = seed, Rows = 64, Columns = 64, Slices = 4 });
        return [.. Enumerable.Range(0, phantom.Options.Slices).Select(k =>
        {
            var ds = PhantomWriter.BuildSlice(phantom, k);
            if (modality == "MR")
            {
                ds.Set(DicomTags.Modality, DicomVR.CS, "MR")
                    .Set(DicomTags.SOPClassUID, DicomVR.UI, MrImageStorage)
                    .Set(DicomTags.SeriesInstanceUID, DicomVR.UI, $"2.25.{seed}0077")
                    .Set(DicomTags.SOPInstanceUID, DicomVR.UI, $"2.25.{seed}0077{k + 1:D2}")
                    .Set(DicomTags.SeriesDescription, DicomVR.LO, description);
            }
            return DicomWriter.WriteFile(ds, TransferSyntax.ExplicitVRLittleEndian);
        })];
    }

    /// <summary>The series' attributes as a STOW-RS front end reads them from a slice.</summary>
    public static SeriesAttributes Attributes(byte[] slice)
    {
        var d = DicomReader.Read(slice).Dataset;
        return new SeriesAttributes(d.GetString(DicomTags.StudyInstanceUID)!, d.GetString(DicomTags.SeriesInstanceUID)!,
            d.GetString(DicomTags.Modality), d.GetString(DicomTags.Manufacturer), null, d.GetString(DicomTags.SeriesDescription),
            d.GetString(DicomTags.StudyDescription), null, double.TryParse(d.GetString(DicomTags.SliceThickness), out var t) ? t : null);
    }

    /// <summary>Writes the slices where STOW-RS writes what it receives and sends them to their series' intake as one request would.</summary>
    public async Task<IReadOnlyList<InstanceOutcome>> ReceiveAsync(IReadOnlyList<byte[]> slices)
    {
        var series = Attributes(slices[0]);
        var instances = new List<ReceivedInstance>();
        foreach (var slice in slices)
        {
            var d = DicomReader.Read(slice).Dataset;
            var incoming = await Grains.Store.PutAsync(IntakeKeys.Incoming(), new MemoryStream(slice));
            instances.Add(new ReceivedInstance(d.GetString(DicomTags.SOPInstanceUID)!, d.GetString(DicomTags.SOPClassUID)!, incoming,
                Convert.ToHexStringLower(SHA256.HashData(slice)), slice.Length));
        }
        var intake = Grains.Client.GetGrain<ISeriesIntakeGrain>(IntakeKeys.Grain(series.SeriesInstanceUid));
        return await intake.Receive(new ReceivedBatch(series, instances));
    }

    public IStudyIntakeGrain Study(string studyUid) => Grains.Client.GetGrain<IStudyIntakeGrain>(IntakeKeys.Grain(studyUid));

    /// <summary>The segmentation the study's intake started, once it has started one.</summary>
    public async Task<string> SegmentationOfAsync(string studyUid)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            var started = await Study(studyUid).GetSegmentations();
            if (started.Count > 0) return Assert.Single(started);
            await Task.Delay(100);
        }
        throw new TimeoutException($"Study {studyUid} started no segmentation.");
    }
}

/// <summary>
/// A multi-channel rule waits for a complete series of every channel of the same study, then starts one segmentation
/// of them all; a series whose study never gets the other channel starts nothing and stops waiting after the unrouted
/// retention.
/// </summary>
[Collection(MultiChannelIntakeCollection.Name)]
[Trait("Category", "Cluster")]
public sealed class MultiChannelIntakeTests(MultiChannelIntakeFixture fixture)
{
    /// <summary>Past the quiet period, with time for the series to be handed to its study.</summary>
    private static readonly TimeSpan AfterCompletion = MultiChannelIntakeFixture.QuietPeriod + TimeSpan.FromSeconds(1.5);

    [Fact]
    public async Task TheCtAndMrSeriesOfAStudyStartOneSegmentationOfBothChannels()
    {
        var ct = MultiChannelIntakeFixture.PhantomSeries(seed: 501, "CT");
        var mr = MultiChannelIntakeFixture.PhantomSeries(seed: 501, "MR");
        var otherCt = MultiChannelIntakeFixture.PhantomSeries(seed: 502, "CT");
        var (ctSeries, mrSeries, otherSeries) = (MultiChannelIntakeFixture.Attributes(ct[0]), MultiChannelIntakeFixture.Attributes(mr[0]),
            MultiChannelIntakeFixture.Attributes(otherCt[0]));
        var study = ctSeries.StudyInstanceUid;
        Assert.Equal(study, mrSeries.StudyInstanceUid);
        Assert.NotEqual(ctSeries.SeriesInstanceUid, mrSeries.SeriesInstanceUid);
        Assert.NotEqual(study, otherSeries.StudyInstanceUid);

        Assert.All(await fixture.ReceiveAsync(ct), o => Assert.Equal(InstanceOutcome.Stored, o));
        Assert.All(await fixture.ReceiveAsync(otherCt), o => Assert.Equal(InstanceOutcome.Stored, o));

        // Both CT series are complete and wait for an MR of their own study: nothing starts.
        await Task.Delay(AfterCompletion);
        Assert.Empty(await fixture.Study(study).GetSegmentations());
        Assert.Empty(await fixture.Study(otherSeries.StudyInstanceUid).GetSegmentations());

        Assert.All(await fixture.ReceiveAsync(mr), o => Assert.Equal(InstanceOutcome.Stored, o));
        var id = await fixture.SegmentationOfAsync(study);
        var done = await fixture.Grains.WaitTerminalAsync(id);
        Assert.True(done.State == JobState.Completed, done.ToString());
        Assert.Equal(MultiChannelIntakeFixture.TwoChannelModel.Id, done.ModelId);
        Assert.NotNull(done.Origin);
        Assert.Equal(study, done.Origin.StudyInstanceUid);
        Assert.Equal(new Dictionary<string, string> { ["ct"] = ctSeries.SeriesInstanceUid, ["mr"] = mrSeries.SeriesInstanceUid },
            done.Origin.SeriesByChannel);
        Assert.Equal(MultiChannelIntakeFixture.Rule, done.Origin.Rule);
        Assert.Empty(done.Origin.Destinations);

        // The model ran: an RT Structure Set of its one structure, with contours where both channels are above 0 HU.
        Assert.NotNull(done.Result);
        await using (var stream = fixture.Grains.Store.OpenRead(done.Result))
        {
            using var bytes = new MemoryStream();
            await stream.CopyToAsync(bytes);
            var rt = RtStructureSetReader.Read(DicomReader.Read(bytes.ToArray()));
            var roi = Assert.Single(rt.Rois);
            Assert.Equal("Structure1", roi.Name);
            Assert.NotEmpty(roi.Contours);
            Assert.Contains(MultiChannelIntakeFixture.TwoChannelModel.Id, rt.SoftwareVersions, StringComparison.Ordinal);
        }

        // One segmentation for the pair, none for the other study's CT, whose MR is still missing.
        Assert.Equal([id], await fixture.Study(study).GetSegmentations());
        Assert.Empty(await fixture.Study(otherSeries.StudyInstanceUid).GetSegmentations());
    }

    [Fact]
    public async Task AnMrInstanceSentAgainWithNewBytesRunsThePairAgainWithTheCtItRanWith()
    {
        var ct = MultiChannelIntakeFixture.PhantomSeries(seed: 504, "CT");
        var mr = MultiChannelIntakeFixture.PhantomSeries(seed: 504, "MR");
        var study = MultiChannelIntakeFixture.Attributes(ct[0]).StudyInstanceUid;
        await fixture.ReceiveAsync(ct);
        await fixture.ReceiveAsync(mr);
        var first = await fixture.SegmentationOfAsync(study);
        await fixture.Grains.WaitTerminalAsync(first);

        // The same MR instance with other bytes (a corrected description): the MR series is routed again and pairs with
        // the CT the first run used, which is not sent again.
        var corrected = MultiChannelIntakeFixture.PhantomSeries(seed: 504, "MR", description: "MR series, corrected");
        Assert.Equal(InstanceOutcome.Stored, Assert.Single(await fixture.ReceiveAsync([corrected[0]])));
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        IReadOnlyList<string> started;
        do
        {
            await Task.Delay(200);
            started = await fixture.Study(study).GetSegmentations();
        }
        while (started.Count < 2 && DateTime.UtcNow < deadline);
        Assert.Equal(2, started.Count);
        var second = await fixture.Grains.WaitTerminalAsync(started[1]);
        Assert.Equal(MultiChannelIntakeFixture.Attributes(ct[0]).SeriesInstanceUid, second.Origin!.SeriesByChannel["ct"]);
        Assert.True(second.State == JobState.Completed, second.ToString());
    }

    [Fact]
    public async Task ACtSeriesWhoseMrDoesNotComeStopsWaitingAfterTheUnroutedRetention()
    {
        var ct = MultiChannelIntakeFixture.PhantomSeries(seed: 503, "CT");
        var mr = MultiChannelIntakeFixture.PhantomSeries(seed: 503, "MR");
        var study = MultiChannelIntakeFixture.Attributes(ct[0]).StudyInstanceUid;

        await fixture.ReceiveAsync(ct);
        await Task.Delay(AfterCompletion);
        Assert.Empty(await fixture.Study(study).GetSegmentations());

        // Past the retention and a few of the study's reminder ticks: the CT no longer waits, so the MR that comes
        // now waits alone (with it, the previous test shows, the pair would have started at once).
        await Task.Delay(MultiChannelIntakeFixture.UnroutedRetention + 4 * MultiChannelIntakeFixture.ReminderPeriod);
        Assert.Empty(await fixture.Study(study).GetSegmentations());
        await fixture.ReceiveAsync(mr);
        await Task.Delay(AfterCompletion + TimeSpan.FromSeconds(1));
        Assert.Empty(await fixture.Study(study).GetSegmentations());
    }
}
