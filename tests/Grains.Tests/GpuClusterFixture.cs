using InnerEye.Grains.Tests.Support;

namespace InnerEye.Grains.Tests;

/// <summary>Three silos; Silo_1 alone says accelerator = gpu.</summary>
public sealed class GpuClusterFixture : IAsyncLifetime
{
    public GrainCluster Grains { get; private set; } = null!;

    public async Task InitializeAsync() => Grains = await GrainCluster.StartAsync(new GrainClusterOptions());

    public async Task DisposeAsync() => await Grains.DisposeAsync();
}
