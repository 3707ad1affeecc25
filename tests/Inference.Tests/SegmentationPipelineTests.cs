using InnerEye.Imaging.Dicom;
using InnerEye.Imaging.Series;
using InnerEye.Imaging.Tests.Support;
using InnerEye.Inference.Tests.Support;

namespace InnerEye.Inference.Tests;

public sealed class SegmentationPipelineTests : IDisposable
{
    private const int NX = 24, NY = 20, NZ = 10;
    private static readonly double[] Spacing = [0.8, 0.8, 2.5];
    private readonly ModelSessionCache _sessions = new(new InferenceOptions { Device = InferenceDevice.Cpu });
    private readonly SegmentationPipeline _pipeline;

    public SegmentationPipelineTests() => _pipeline = new SegmentationPipeline(_sessions);

    public void Dispose() => _sessions.Dispose();

    private static bool InBox(int i, int j, int k) => i is >= 6 and < 16 && j is >= 5 and < 14 && k is >= 3 and < 8;

    /// <summary>Soft tissue (300 HU) in a box, air (−1000 HU) around it.</summary>
    private static ImageVolume Ct(double[]? direction = null, double[]? origin = null) =>
        Volumes.Create(NX, NY, NZ, Spacing, origin ?? [-10, -8, 40], direction ?? Volumes.Axial, (i, j, k) => InBox(i, j, k) ? 300 : -1000);

    private static void AssertBox(byte[] labels, int margin)
    {
        var compared = 0;
        for (var k = 0; k < NZ; k++)
        {
            for (var j = 0; j < NY; j++)
            {
                for (var i = 0; i < NX; i++)
                {
                    var near = false;
                    for (var d = -margin; d <= margin && !near; d++)
                        near = InBox(i + d, j, k) != InBox(i, j, k) || InBox(i, j + d, k) != InBox(i, j, k) || InBox(i, j, k + d) != InBox(i, j, k);
                    if (near) continue;
                    Assert.True((InBox(i, j, k) ? 1 : 0) == labels[(k * NY + j) * NX + i], $"voxel ({i}, {j}, {k})");
                    compared++;
                }
            }
        }

        Assert.True(compared > NX * NY * NZ / 3);
    }

    [SkippableFact]
    public async Task LabelsOnTheSourceGridFollowTheModel()
    {
        var ct = Ct();
        var model = TestModels.Config(patch: [4, 0, 0], overlap: [1, 0, 0]);
        var result = await _pipeline.RunAsync(Volumes.Upload(Volumes.Series(ct)), model);
        Assert.Equal(NX * NY * NZ, result.Labels.Length);
        AssertBox(result.Labels, margin: 0);
        Assert.Equal(InferenceDevice.Cpu, result.Device);
        Assert.Equal("ct", result.Reference.Channel);
        Assert.True(result.Timings.Total >= result.Timings.Inference);
    }

    [SkippableTheory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ATargetSpacingResamplesThereAndBackThroughPatientCoordinates(bool feetFirst)
    {
        // Feet first: rows run right to left and slices foot to head, against the axial directions.
        var ct = feetFirst ? Ct([-1, 0, 0, 0, 1, 0, 0, 0, -1], [10, -8, 40]) : Ct();
        var model = TestModels.Config(spacing: [1.6, 1.2, 5.0], patch: [3, 8, 8], overlap: [1, 2, 2]);
        var result = await _pipeline.RunAsync(Volumes.Upload(Volumes.Series(ct)), model);
        AssertBox(result.Labels, margin: 2);
    }

    [SkippableFact]
    public async Task SlabsGiveTheSameLabelsAsOnePass()
    {
        var ct = Volumes.Create(NX, NY, NZ, Spacing, [0, 0, 0], Volumes.Axial,
            (i, j, k) => (float)(800 * Math.Sin(i * 0.5 + j * 0.3) * Math.Cos(k * 0.7)));
        var model = TestModels.Config("three_class.onnx", structures: 2, spacing: [1.1, 0.9, 1.7], patch: [4, 7, 9], overlap: [2, 3, 3]);
        var upload = Volumes.Upload(Volumes.Series(ct));
        var full = await _pipeline.RunAsync(upload, model);
        // Model grid 17×18×15: 18·17·4 floats per slice and class, so 4 slices per slab (3 of its own).
        var slabbed = await _pipeline.RunAsync(upload, model, new PipelineOptions { MaxAccumulatorBytes = 4 * 18 * 17 * 4 * 4 });
        Assert.Equal(full.Labels, slabbed.Labels);
        Assert.Contains((byte)1, full.Labels);
        Assert.Contains((byte)2, full.Labels);
    }

    [SkippableFact]
    public async Task ASecondChannelIsResampledOntoTheFirstChannelsGrid()
    {
        static bool InMrBox(int i, int j, int k) => i is >= 10 and < 20 && j is >= 2 and < 10 && k is >= 0 and < 6;
        var ct = Ct();
        // The MR runs right to left: its voxel i lies on the CT's voxel NX − 1 − i.
        var mr = Volumes.Create(NX, NY, NZ, Spacing, [-10 + (NX - 1) * Spacing[0], -8, 40], [-1, 0, 0, 0, 1, 0, 0, 0, 1],
            (i, j, k) => InMrBox(NX - 1 - i, j, k) ? 500 : -800);
        var model = TestModels.Config("two_channel.onnx", channels: [new InputChannelConfig("ct", "CT"), new InputChannelConfig("mr", "MR")]);
        var result = await _pipeline.RunAsync(Volumes.Upload(Volumes.Series(mr, "mr", "MR"), Volumes.Series(ct)), model);
        Assert.Same(ct, result.Reference.Volume);
        for (var k = 0; k < NZ; k++)
        {
            for (var j = 0; j < NY; j++)
            {
                for (var i = 0; i < NX; i++)
                    Assert.Equal(InBox(i, j, k) && InMrBox(i, j, k) ? 1 : 0, result.Labels[(k * NY + j) * NX + i]);
            }
        }

        Assert.Contains((byte)1, result.Labels);
    }

    [SkippableFact]
    public async Task ProgressCoversEveryStageInOrderAndEndsAt100()
    {
        var progress = new RecordingProgress<PipelineProgress>();
        var model = TestModels.Config(spacing: [1.6, 1.6, 2.5], patch: [2, 8, 8]);
        var result = await _pipeline.RunAsync(Volumes.Upload(Volumes.Series(Ct())), model, null, progress);
        await SegmentationPipeline.WriteRtAsync(result, Stream.Null, model, progress: progress);

        var reports = progress.Reports;
        string[] stages = [PipelineStages.Resample, PipelineStages.Inference, PipelineStages.Postprocess, PipelineStages.Contour];
        Assert.Equal(stages, reports.Select(r => r.Stage).Distinct());
        for (var i = 1; i < reports.Count; i++)
        {
            var (previous, current) = (reports[i - 1], reports[i]);
            if (previous.Stage == current.Stage) Assert.True(current.Percent >= previous.Percent, $"{current} after {previous}");
            else Assert.True(Array.IndexOf(stages, current.Stage) > Array.IndexOf(stages, previous.Stage), $"{current} after {previous}");
        }
        foreach (var stage in stages)
        {
            var mine = reports.Where(r => r.Stage == stage).ToList();
            Assert.Equal(0, mine[0].Percent);
            Assert.Equal(100, mine[^1].Percent);
        }
        Assert.True(reports.Count(r => r.Stage == PipelineStages.Inference) > 3);
        Assert.Equal(new PipelineProgress(PipelineStages.Contour, 100), reports[^1]);
    }

    [SkippableFact]
    public async Task CancellingDuringInferenceStopsTheRun()
    {
        const int n = 160;
        var ct = Volumes.Create(n, n, 96, [1, 1, 1], [0, 0, 0], Volumes.Axial, (i, j, k) => (i + j + k) % 7 * 100 - 300);
        var model = TestModels.Config("slow.onnx");
        using var cts = new CancellationTokenSource();
        var progress = new RecordingProgress<PipelineProgress>
        {
            OnReport = p =>
            {
                if (p is { Stage: PipelineStages.Inference, Percent: 0 }) cts.Cancel();
            },
        };
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            _pipeline.RunAsync(Volumes.Upload(Volumes.Series(ct)), model, null, progress, cts.Token));
        Assert.DoesNotContain(progress.Reports, r => r.Stage == PipelineStages.Postprocess);
    }

    [SkippableFact]
    public async Task AMissingChannelIsATypedErrorNamingIt()
    {
        var model = TestModels.Config("two_channel.onnx", channels: [new InputChannelConfig("ct", "CT"), new InputChannelConfig("mr", "MR")]);
        var e = await Assert.ThrowsAsync<InputChannelMissingException>(() => _pipeline.RunAsync(Volumes.Upload(Volumes.Series(Ct())), model));
        Assert.Equal("mr", e.Channel);
        Assert.Equal(["ct"], e.Present);
        Assert.Equal("InputChannelMissing", e.Code);
        Assert.Contains("needs input channel 'mr'", e.Message);
        Assert.Contains("Channels present: 'ct'", e.Message);
    }

    [SkippableFact]
    public async Task AChannelOfTheWrongModalityIsATypedError()
    {
        var e = await Assert.ThrowsAsync<InputModalityMismatchException>(() =>
            _pipeline.RunAsync(Volumes.Upload(Volumes.Series(Ct(), "ct", "MR")), TestModels.Config()));
        Assert.Equal(("ct", "CT", "MR"), (e.Channel, e.Expected, e.Actual));
    }

    [SkippableFact]
    public async Task AChannelThatFailedToLoadReportsTheLoadersProblems()
    {
        var upload = new SeriesLoadResult([], [new VolumeProblem("ct", "MissingSlices", "Slices are missing between 3 and 5.")]);
        var e = await Assert.ThrowsAsync<SeriesValidationException>(() => _pipeline.RunAsync(upload, TestModels.Config()));
        Assert.Equal("MissingSlices", e.Code);
    }

    [SkippableFact]
    public async Task PostprocessingFromTheModelIsApplied()
    {
        var ct = Volumes.Create(NX, NY, NZ, Spacing, [0, 0, 0], Volumes.Axial,
            (i, j, k) => InBox(i, j, k) || (i == 20 && j == 18 && k == 1) ? 300 : -1000);
        var model = TestModels.Config(post: new PostprocessingConfig(true, 0));
        var result = await _pipeline.RunAsync(Volumes.Upload(Volumes.Series(ct)), model);
        AssertBox(result.Labels, margin: 0);
        Assert.Equal(0, result.Labels[(1 * NY + 18) * NX + 20]);
    }

    [SkippableFact]
    public async Task TheRtStructureSetCarriesTheModelsStructuresAndId()
    {
        var model = TestModels.Config("three_class.onnx", structures: 2);
        var ct = Volumes.Create(NX, NY, NZ, Spacing, [0, 0, 0], Volumes.Axial, (i, j, k) => InBox(i, j, k) ? 800 : i < 3 ? -800 : 0);
        var result = await _pipeline.RunAsync(Volumes.Upload(Volumes.Series(ct)), model);
        using var stream = new MemoryStream();
        var bytes = await SegmentationPipeline.WriteRtAsync(result, stream, model);
        Assert.Equal(bytes, stream.ToArray());

        var rt = DicomReader.Read(bytes).Dataset;
        Assert.Equal("RTSTRUCT", rt.GetString(DicomTags.Modality));
        Assert.Equal("TestModel:7", rt.GetString(DicomTags.SoftwareVersions));
        Assert.Equal("Test_Manufacturer", rt.GetString(DicomTags.Manufacturer));
        var rois = rt.Items(DicomTags.StructureSetROISequence);
        Assert.Equal(["Structure1", "Structure2"], rois.Select(r => r.GetString(DicomTags.ROIName)));
        var contours = rt.Items(DicomTags.ROIContourSequence);
        Assert.Equal("40\\0\\255", contours[0].GetString(DicomTags.ROIDisplayColor));
        Assert.All(contours, c => Assert.NotEmpty(c.Items(DicomTags.ContourSequence)));

        Assert.Equal("TestModel:7", rt.GetString(DicomTags.StructureSetLabel));
        Assert.Equal(model.DisplayName, rt.GetString(DicomTags.StructureSetName));
        Assert.Equal("^Test Interpreter", rt.Items(DicomTags.RTROIObservationsSequence)[0].GetString(DicomTags.ROIInterpreter));
        Assert.All(rois, r => Assert.Equal("TestModel:7", r.GetString(DicomTags.ROIGenerationDescription)));

        // The id as requested goes into SoftwareVersions and the label; the description names the model that ran.
        var requested = DicomReader.Read(await SegmentationPipeline.WriteRtAsync(result, Stream.Null, model, "TestModel")).Dataset;
        Assert.Equal("TestModel", requested.GetString(DicomTags.SoftwareVersions));
        Assert.Equal("TestModel", requested.GetString(DicomTags.StructureSetLabel));
        Assert.All(requested.Items(DicomTags.StructureSetROISequence), r =>
            Assert.Equal("TestModel:7", r.GetString(DicomTags.ROIGenerationDescription)));
    }

    [SkippableFact]
    public async Task ADicomSeriesLoadedFromDiskIsSegmented()
    {
        using var dir = new TempDirectory();
        DicomCtSeries.Write(dir.Combine("ct"), NX, NY, NZ, Spacing, [-10, -8, 40], (i, j, k) => (short)(InBox(i, j, k) ? 300 : -1000));
        var upload = VolumeLoader.Load(dir.Path);
        Assert.False(upload.HasErrors, string.Join("; ", upload.Problems.Select(p => p.Message)));
        var model = TestModels.Config(patch: [4, 8, 8], overlap: [2, 2, 2]);
        var result = await _pipeline.RunAsync(upload, model);
        AssertBox(result.Labels, margin: 0);
        var rt = DicomReader.Read(await SegmentationPipeline.WriteRtAsync(result, Stream.Null, model)).Dataset;
        Assert.Equal(upload.Channels[0].FrameOfReferenceUid, rt.GetString(DicomTags.FrameOfReferenceUID));
    }
}
