using InnerEye.Grains.Tests.Support;
using InnerEye.Inference;

namespace InnerEye.Grains.Tests;

/// <summary>A cluster whose model replicas pause at the start of every stage, so that a job can be cancelled in each.</summary>
public sealed class StagePauseClusterFixture : IAsyncLifetime
{
    public GrainCluster Grains { get; private set; } = null!;

    public async Task InitializeAsync() => Grains = await GrainCluster.StartAsync(new GrainClusterOptions
    {
        NetworkStageDelay = TimeSpan.Zero,
        StagePause = TimeSpan.FromSeconds(1.5),
    });

    public async Task DisposeAsync() => await Grains.DisposeAsync();
}

[Trait("Category", "Cluster")]
public sealed class CancelDuringStagesTests(StagePauseClusterFixture fixture) : IClassFixture<StagePauseClusterFixture>
{
    private const string ModelId = "PassThroughModel:1729";
    private GrainCluster Grains => fixture.Grains;

    [SkippableTheory]
    [InlineData(PipelineStages.Decode)]
    [InlineData(PipelineStages.Resample)]
    [InlineData(PipelineStages.Inference)]
    [InlineData(PipelineStages.Postprocess)]
    [InlineData(PipelineStages.Contour)]
    public async Task CancelDuringAStageEndsTheJobCancelledWithoutAResult(string stage)
    {
        var id = Guid.NewGuid().ToString("N");
        var input = await Grains.UploadPhantomAsync(id);
        await Grains.Segmentation(id).Submit(new SubmitSegmentation(ModelId, input));
        var inStage = await Grains.WaitAsync(id, s => s.Stage == stage || s.IsTerminal, TimeSpan.FromSeconds(60));
        Assert.True(inStage.Stage == stage, $"the job never sat in {stage}: {inStage}");

        var cancelled = await Grains.Segmentation(id).Cancel();
        Assert.Equal(JobState.Cancelled, cancelled!.State);

        // The replica lets the job go (the pause and the pipeline honour the cancellation) and writes nothing.
        var replica = Grains.Client.GetGrain<IModelGrain>($"{ModelId}/0");
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        ModelGrainLoad load;
        while ((load = await replica.GetLoad()).Total > 0 && DateTime.UtcNow < deadline) await Task.Delay(100);
        Assert.Equal(0, load.Total);
        var later = await Grains.Segmentation(id).GetStatus();
        Assert.Equal(JobState.Cancelled, later!.State);
        Assert.Null(later.Result);
        Assert.Equal(0, Grains.Store.Writes($"results/{id}.dcm"));
        Assert.Equal(stage, later.Stages[^2].Stage);
        Assert.Equal("cancelled", later.Stages[^1].Stage);
    }
}
