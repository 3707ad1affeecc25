using InnerEye.Grains.Tests.Support;

namespace InnerEye.Grains.Tests;

/// <summary>Tests that need a cluster of their own (other placement options, or a silo killed).</summary>
[Trait("Category", "Cluster")]
public sealed class ClusterFailureTests
{
    private const string ModelId = "PassThroughModel:1729";

    [SkippableFact]
    public async Task WithoutGpuSilosTheFallbackPlacesModelGrainsOnCpuSilos()
    {
        await using var grains = await GrainCluster.StartAsync(new GrainClusterOptions
        {
            GpuSilos = new HashSet<string>(), AllowCpuFallback = true, NetworkStageDelay = TimeSpan.Zero,
        });
        var silos = grains.Cluster.Silos.Select(s => s.SiloAddress.ToParsableString()).ToHashSet();
        Assert.Contains(await grains.Client.GetGrain<IModelGrain>($"{ModelId}/0").GetSilo(), silos);

        var id = Guid.NewGuid().ToString("N");
        var input = await grains.UploadPhantomAsync(id);
        await grains.Segmentation(id).Submit(new SubmitSegmentation(ModelId, input));
        var done = await grains.WaitTerminalAsync(id);
        Assert.True(done.State == JobState.Completed, done.ToString());
    }

    [SkippableFact]
    public async Task WithoutGpuSilosOrFallbackModelGrainsAreNotPlaced()
    {
        await using var grains = await GrainCluster.StartAsync(new GrainClusterOptions
        {
            Silos = 2, GpuSilos = new HashSet<string>(), AllowCpuFallback = false,
        });
        await Assert.ThrowsAnyAsync<Exception>(() => grains.Client.GetGrain<IModelGrain>($"{ModelId}/0").GetSilo());
    }

    [SkippableFact]
    public async Task KillingTheSiloRunningAJobCompletesItElsewhereWithOneResult()
    {
        await using var grains = await GrainCluster.StartAsync(new GrainClusterOptions
        {
            GpuSilos = new HashSet<string> { "Silo_1", "Silo_2" }, NetworkStageDelay = TimeSpan.FromSeconds(4),
        });
        var id = Guid.NewGuid().ToString("N");
        var input = await grains.UploadPhantomAsync(id);
        await grains.Segmentation(id).Submit(new SubmitSegmentation(ModelId, input));
        await grains.WaitAsync(id, s => s.State == JobState.Running);

        // Wait until the job holds the replica's network stage (the model grain pauses there for 4 s).
        var replica = grains.Client.GetGrain<IModelGrain>($"{ModelId}/0");
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while ((await replica.GetLoad()).Running == 0 && DateTime.UtcNow < deadline) await Task.Delay(50);
        Assert.Equal(1, (await replica.GetLoad()).Running);
        var address = await replica.GetSilo();
        var victim = Assert.Single(grains.Cluster.Silos, s => s.SiloAddress.ToParsableString() == address);
        Assert.NotEqual("Silo_0", victim.Name);
        await grains.Cluster.KillSiloAsync(victim);

        var done = await grains.WaitTerminalAsync(id, TimeSpan.FromSeconds(120));
        Assert.True(done.State == JobState.Completed, done.ToString());
        Assert.Equal(1, grains.Store.Writes(done.Result!.Key));
        Assert.Single(done.Stages, s => s.Stage == "completed");
        Assert.NotEqual(address, await replica.GetSilo());
        // Still completed, once, a while later.
        await Task.Delay(TimeSpan.FromSeconds(5));
        Assert.Equal(done.Result, (await grains.Segmentation(id).GetStatus())!.Result);
        Assert.Equal(1, grains.Store.Writes(done.Result.Key));
    }

    [SkippableFact]
    public async Task ReplicasOfAModelLandOnDifferentGpuSilos()
    {
        await using var grains = await GrainCluster.StartAsync(new GrainClusterOptions
        {
            Silos = 3, GpuSilos = new HashSet<string> { "Silo_1", "Silo_2" }, Replicas = 2,
        });
        var gpus = grains.Cluster.Silos.Where(s => s.Name is "Silo_1" or "Silo_2").Select(s => s.SiloAddress.ToParsableString()).ToHashSet();
        var placed = new HashSet<string>();
        for (var i = 0; i < 4; i++) placed.Add(await grains.Client.GetGrain<IModelGrain>($"{ModelId}/{i}").GetSilo());
        Assert.Equal(gpus, placed);
    }

    [SkippableFact]
    [Trait("Category", "Slow")]
    public async Task JobsSubmittedTogetherSpreadEvenlyOverTheReplicas()
    {
        await using var grains = await GrainCluster.StartAsync(new GrainClusterOptions
        {
            Silos = 3, GpuSilos = new HashSet<string> { "Silo_1", "Silo_2" }, Replicas = 2, NetworkStageDelay = TimeSpan.FromSeconds(0.5),
        });
        var ids = Enumerable.Range(0, 8).Select(_ => Guid.NewGuid().ToString("N")).ToList();
        var inputs = new List<ArtifactRef>();
        foreach (var id in ids) inputs.Add(await grains.UploadPhantomAsync(id));
        await Task.WhenAll(ids.Zip(inputs).Select(p => grains.Segmentation(p.First).Submit(new SubmitSegmentation(ModelId, p.Second))));
        foreach (var id in ids) Assert.Equal(JobState.Completed, (await grains.WaitTerminalAsync(id, TimeSpan.FromSeconds(120))).State);

        var completed = await Task.WhenAll(Enumerable.Range(0, 2).Select(async i =>
            (await grains.Client.GetGrain<IModelGrain>($"{ModelId}/{i}").GetLoad()).Completed));
        Assert.Equal([4, 4], completed);
    }

    [SkippableFact]
    public async Task AJobWaitsForAGpuSiloInsteadOfFailing()
    {
        await using var grains = await GrainCluster.StartAsync(new GrainClusterOptions
        {
            Silos = 2, GpuSilos = new HashSet<string> { "Silo_2" }, AllowCpuFallback = false, NetworkStageDelay = TimeSpan.Zero,
        });
        var id = Guid.NewGuid().ToString("N");
        var input = await grains.UploadPhantomAsync(id);
        await grains.Segmentation(id).Submit(new SubmitSegmentation(ModelId, input));

        // Far longer than the transient-fault retries (3 × 0.5 s) would take to fail it.
        await Task.Delay(TimeSpan.FromSeconds(5));
        var waiting = await grains.Segmentation(id).GetStatus();
        Assert.True(waiting!.State == JobState.Queued, waiting.ToString());
        Assert.Single(waiting.Stages, s => s.Stage == "queued");

        var gpu = await grains.Cluster.StartAdditionalSiloAsync();
        Assert.Equal("Silo_2", gpu.Name);
        var done = await grains.WaitTerminalAsync(id, TimeSpan.FromSeconds(120));
        Assert.True(done.State == JobState.Completed, done.ToString());
        Assert.Equal(gpu.SiloAddress.ToParsableString(), await grains.Client.GetGrain<IModelGrain>($"{ModelId}/0").GetSilo());
    }

    [SkippableFact]
    public async Task AfterTheRetentionPeriodTheResultAndTheStateAreRemoved()
    {
        await using var grains = await GrainCluster.StartAsync(new GrainClusterOptions
        {
            NetworkStageDelay = TimeSpan.Zero, RetentionPeriod = TimeSpan.FromSeconds(2),
        });
        var id = Guid.NewGuid().ToString("N");
        var input = await grains.UploadPhantomAsync(id);
        await grains.Segmentation(id).Submit(new SubmitSegmentation(ModelId, input));
        var done = await grains.WaitTerminalAsync(id);
        Assert.True(done.State == JobState.Completed, done.ToString());
        var preview = ResultArtifacts.PreviewOf(done.Result!);
        Assert.True(grains.Store.Exists(preview));

        // Kept for the retention period, then removed by the grain's timer (a reminder's first tick could take a minute).
        Assert.True(grains.Store.Exists(done.Result!));
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (await grains.Segmentation(id).GetStatus() is not null && DateTime.UtcNow < deadline) await Task.Delay(100);
        Assert.Null(await grains.Segmentation(id).GetStatus());
        Assert.False(grains.Store.Exists(done.Result!));
        Assert.False(grains.Store.Exists(preview));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"removed after {clock.Elapsed}, not at the end of the 2 s retention period");
    }
}
