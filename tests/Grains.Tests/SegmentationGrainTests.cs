using InnerEye.Imaging;
using InnerEye.Imaging.Dicom;
using InnerEye.Imaging.Rt;
using InnerEye.Imaging.Series;
using InnerEye.Inference;
using InnerEye.Grains.Tests.Support;

namespace InnerEye.Grains.Tests;

[Trait("Category", "Cluster")]
public sealed class SegmentationGrainTests(GpuClusterFixture fixture) : IClassFixture<GpuClusterFixture>
{
    private const string ModelId = "PassThroughModel:1729";
    private GrainCluster Grains => fixture.Grains;

    private static string NewId() => Guid.NewGuid().ToString("N");

    [SkippableFact]
    public async Task ModelGrainActivationsLandOnlyOnTheGpuSilo()
    {
        var gpu = Assert.Single(Grains.Cluster.Silos, s => s.Name == "Silo_1").SiloAddress.ToParsableString();
        for (var i = 0; i < 6; i++)
        {
            var silo = await Grains.Client.GetGrain<IModelGrain>($"PlacementProbe{i}/0").GetSilo();
            Assert.Equal(gpu, silo);
        }
    }

    [SkippableFact]
    public async Task ASegmentationCompletesWithAnRtStructureSet()
    {
        var id = NewId();
        var input = await Grains.UploadPhantomAsync(id);
        var submitted = await Grains.Segmentation(id).Submit(new SubmitSegmentation(ModelId, input));
        Assert.Equal(JobState.Queued, submitted.State);
        Assert.Equal(ModelId, submitted.ModelId);

        var done = await Grains.WaitTerminalAsync(id);
        Assert.True(done.State == JobState.Completed, done.ToString());
        Assert.Equal(100, done.Progress);
        Assert.NotNull(done.Result);
        Assert.Equal(1, Grains.Store.Writes(done.Result!.Key));
        Assert.False(Grains.Store.Exists(input)); // the upload is deleted once scored

        await using var rtStream = Grains.Store.OpenRead(done.Result);
        using var buffer = new MemoryStream();
        await rtStream.CopyToAsync(buffer);
        var file = DicomReader.Read(buffer.ToArray());
        Assert.Equal(ModelId, file.Dataset.GetString(DicomTags.SoftwareVersions));
        var rt = RtStructureSetReader.Read(file);
        Assert.Equal(["SpinalCord", "Lung_R", "Lung_L", "Heart", "Esophagus"], rt.Rois.Select(r => r.Name));

        var stages = done.Stages.Select(s => s.Stage).ToList();
        Assert.Equal(["queued", PipelineStages.Decode, PipelineStages.Resample, PipelineStages.Inference, PipelineStages.Postprocess,
            PipelineStages.Contour, "completed"], stages);
        Assert.True(done.Stages.Zip(done.Stages.Skip(1)).All(p => p.First.At <= p.Second.At));
    }

    [SkippableFact]
    public async Task SubmitIsIdempotentAndRefusesAnotherRequestUnderTheSameId()
    {
        var id = NewId();
        var input = await Grains.UploadPhantomAsync(id);
        var first = await Grains.Segmentation(id).Submit(new SubmitSegmentation(ModelId, input));
        var again = await Grains.Segmentation(id).Submit(new SubmitSegmentation(ModelId, input));
        Assert.Equal(first.CreatedAt, again.CreatedAt);
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Grains.Segmentation(id).Submit(new SubmitSegmentation("ThoraxCT", input)));

        var done = await Grains.WaitTerminalAsync(id);
        Assert.Equal(JobState.Completed, done.State);
        Assert.Single(done.Stages, s => s.Stage == "queued");
        Assert.Equal(1, Grains.Store.Writes(done.Result!.Key));
        var after = await Grains.Segmentation(id).Submit(new SubmitSegmentation(ModelId, input));
        Assert.Equal(JobState.Completed, after.State);
    }

    [SkippableFact]
    public async Task UnknownIdHasNoStatus()
    {
        Assert.Null(await Grains.Segmentation(NewId()).GetStatus());
        Assert.Null(await Grains.Segmentation(NewId()).Cancel());
    }

    [SkippableFact]
    public async Task StateSurvivesDeactivation()
    {
        var id = NewId();
        var input = await Grains.UploadPhantomAsync(id);
        await Grains.Segmentation(id).Submit(new SubmitSegmentation(ModelId, input));
        var done = await Grains.WaitTerminalAsync(id);
        Assert.Equal(JobState.Completed, done.State);

        await Grains.Cluster.DeactivateAsync(Grains.Segmentation(id));
        var reactivated = await Grains.Segmentation(id).GetStatus();
        Assert.NotNull(reactivated);
        Assert.Equal(done.State, reactivated!.State);
        Assert.Equal(done.Result, reactivated.Result);
        Assert.Equal(done.CreatedAt, reactivated.CreatedAt);
        Assert.Equal(done.Stages, reactivated.Stages);
    }

    [SkippableFact]
    public async Task AJobDeactivatedWhileRunningIsRedrivenAndCompletesOnce()
    {
        var id = NewId();
        var input = await Grains.UploadPhantomAsync(id);
        await Grains.Segmentation(id).Submit(new SubmitSegmentation(ModelId, input));
        await Grains.WaitAsync(id, s => s.State == JobState.Running);

        await Grains.Cluster.DeactivateAsync(Grains.Segmentation(id));
        var done = await Grains.WaitTerminalAsync(id);
        Assert.True(done.State == JobState.Completed, done.ToString());
        Assert.Equal(1, Grains.Store.Writes(done.Result!.Key));
        Assert.Single(done.Stages, s => s.Stage == "completed");
    }

    [SkippableFact]
    public async Task CancelWhileQueuedStaysCancelled()
    {
        var id = NewId();
        var input = await Grains.UploadPhantomAsync(id);
        var submitted = await Grains.Segmentation(id).Submit(new SubmitSegmentation(ModelId, input));
        Assert.Equal(JobState.Queued, submitted.State);
        var cancelled = await Grains.Segmentation(id).Cancel();
        Assert.Equal(JobState.Cancelled, cancelled!.State);
        Assert.Equal(JobState.Cancelled, (await Grains.Segmentation(id).Cancel())!.State);

        await Task.Delay(Grains.Options.NetworkStageDelay + TimeSpan.FromSeconds(1));
        var later = await Grains.Segmentation(id).GetStatus();
        Assert.Equal(JobState.Cancelled, later!.State);
        Assert.Null(later.Result);
        Assert.Equal(0, Grains.Store.Writes($"results/{id}.dcm"));
    }

    [SkippableFact]
    public async Task CancelWhileRunningStopsTheModelAndStaysCancelled()
    {
        var id = NewId();
        var input = await Grains.UploadPhantomAsync(id);
        await Grains.Segmentation(id).Submit(new SubmitSegmentation(ModelId, input));
        var running = await Grains.WaitAsync(id, s => s.State == JobState.Running);
        Assert.NotNull(running.Stage);

        var cancelled = await Grains.Segmentation(id).Cancel();
        Assert.Equal(JobState.Cancelled, cancelled!.State);
        await Task.Delay(Grains.Options.NetworkStageDelay + TimeSpan.FromSeconds(1));
        var later = await Grains.Segmentation(id).GetStatus();
        Assert.Equal(JobState.Cancelled, later!.State);
        Assert.Null(later.Result);
        Assert.Equal(0, Grains.Store.Writes($"results/{id}.dcm"));
        Assert.False(Grains.Store.Exists(input), "the upload of a cancelled job stays behind");
        var load = await Grains.Client.GetGrain<IModelGrain>($"{ModelId}/0").GetLoad();
        Assert.Equal(0, load.Running);
    }

    [SkippableFact]
    public async Task ABadZipFailsAtOnceWithTheImagingErrorCode()
    {
        var id = NewId();
        var input = await Grains.UploadBytesAsync(id, "PK\u0003\u0004 this is not a zip"u8.ToArray());
        string? expected = null;
        try
        {
            SegmentationPipeline.SelectChannels(VolumeLoader.Load(Grains.Store.LocalPath(input)), Grains.Model);
        }
        catch (ImagingException e)
        {
            expected = e.Code;
        }
        catch (InferenceException e)
        {
            expected = e.Code;
        }
        Assert.NotNull(expected);

        await Grains.Segmentation(id).Submit(new SubmitSegmentation(ModelId, input));
        var failed = await Grains.WaitTerminalAsync(id, TimeSpan.FromSeconds(20));
        Assert.True(failed.State == JobState.Failed, failed.ToString());
        Assert.Equal(expected, failed.ErrorCode);
        Assert.False(string.IsNullOrEmpty(failed.ErrorDetail));
        Assert.Single(failed.Stages, s => s.Stage == "queued"); // no retries
        Assert.False(Grains.Store.Exists(input), "the upload of a failed job stays behind");
    }

    [SkippableFact]
    public async Task AZipWithAWrongCrcFailsAtOnceAsACorruptEntryAndItsUploadGoes()
    {
        var id = NewId();
        var input = await Grains.UploadPhantomAsync(id);
        var path = Grains.Store.LocalPath(input);
        var bytes = File.ReadAllBytes(path);
        var (entries, directory) = Imaging.Zip.ZipCentralDirectory.Read(path, Imaging.Zip.ZipLimits.Default);
        Assert.True(entries.Count > 1);
        bytes[directory + 16] ^= 0x20; // the first entry's CRC-32 in the central directory
        File.WriteAllBytes(path, bytes);

        await Grains.Segmentation(id).Submit(new SubmitSegmentation(ModelId, input));
        var failed = await Grains.WaitTerminalAsync(id, TimeSpan.FromSeconds(20));
        Assert.True(failed.State == JobState.Failed, failed.ToString());
        Assert.Equal("CorruptEntry", failed.ErrorCode);
        Assert.Contains(entries[0].Name, failed.ErrorDetail);
        Assert.Single(failed.Stages, s => s.Stage == "queued");
        Assert.Null(failed.Result);
        Assert.False(Grains.Store.Exists(input));
        Assert.Equal(0, Grains.Store.Writes($"results/{id}.dcm"));
    }

    [SkippableFact]
    public async Task TheSweepDeletesUploadsNoLiveJobOwnsAndKeepsTheOthers()
    {
        var orphan = await Grains.UploadPhantomAsync(NewId());
        var finishedId = NewId();
        var finished = await Grains.UploadPhantomAsync(finishedId);
        await Grains.Segmentation(finishedId).Submit(new SubmitSegmentation("NoSuchModel", finished));
        await Grains.WaitTerminalAsync(finishedId, TimeSpan.FromSeconds(20));
        await Grains.UploadPhantomAsync(finishedId); // as if the process had stopped before deleting it
        var liveId = NewId();
        var live = await Grains.UploadPhantomAsync(liveId);
        await Grains.Segmentation(liveId).Submit(new SubmitSegmentation(ModelId, live));
        // A STOW-RS part whose request never finished (the front end stopped during it), and one still arriving.
        var leftPart = await Grains.Store.PutAsync(InnerEye.Grains.DicomWeb.IntakeKeys.Incoming(), new MemoryStream(new byte[10]));
        var arrivingPart = await Grains.Store.PutAsync(InnerEye.Grains.DicomWeb.IntakeKeys.Incoming(), new MemoryStream(new byte[10]));
        foreach (var upload in new[] { orphan, finished, live, leftPart })
            File.SetLastWriteTimeUtc(Grains.Store.LocalPath(upload), DateTime.UtcNow.AddHours(-2));

        var sweeper = new Storage.StorageSweeper(Grains.TempPath, Grains.Store, Grains.Client,
            Microsoft.Extensions.Options.Options.Create(new Storage.StorageOptions { TempFileMaxAge = TimeSpan.FromHours(1) }),
            Grains.Cluster.Client.ServiceProvider, TimeProvider.System,
            Microsoft.Extensions.Logging.Abstractions.NullLogger<Storage.StorageSweeper>.Instance);
        Assert.True(await sweeper.SweepOrphanUploadsAsync(CancellationToken.None) >= 3);
        Assert.False(Grains.Store.Exists(orphan));
        Assert.False(Grains.Store.Exists(finished));
        Assert.False(Grains.Store.Exists(leftPart));
        Assert.True(Grains.Store.Exists(arrivingPart));
        Assert.True(Grains.Store.Exists(live) || (await Grains.Segmentation(liveId).GetStatus())!.IsTerminal);
        await Grains.WaitTerminalAsync(liveId, TimeSpan.FromSeconds(30));
    }

    [SkippableFact]
    public async Task AnUnknownModelFailsWithModelNotFound()
    {
        var id = NewId();
        var input = await Grains.UploadPhantomAsync(id);
        await Grains.Segmentation(id).Submit(new SubmitSegmentation("NoSuchModel", input));
        var failed = await Grains.WaitTerminalAsync(id, TimeSpan.FromSeconds(20));
        Assert.Equal(JobState.Failed, failed.State);
        Assert.Equal("ModelNotFound", failed.ErrorCode);
    }
}
