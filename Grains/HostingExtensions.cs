using InnerEye.Grains.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Placement;

namespace InnerEye.Grains;

public static class GrainsHostingExtensions
{
    /// <summary>
    /// Registers the GPU placement filter and the grains' options (sections <c>Segmentation</c>, <c>ModelGrain</c>,
    /// <c>Placement</c>), validated at start. The host also registers a
    /// <c>ModelCatalog</c>, its <c>ModelSessionCache</c> and an <c>IArtifactStore</c> as singletons, a grain storage
    /// named "jobs" and a reminder service, and calls <c>UseSiloMetadata</c> on every silo (GPU silos with
    /// <c>accelerator = gpu</c>).
    /// </summary>
    public static ISiloBuilder AddSegmentationGrains(this ISiloBuilder builder, Action<SegmentationOptions>? segmentation = null,
        Action<ModelGrainOptions>? model = null, Action<ModelPlacementOptions>? placement = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddPlacementFilter<GpuPlacementFilterStrategy, GpuPlacementFilterDirector>(ServiceLifetime.Singleton);
        builder.Services.AddPlacementFilter<JobPlacementFilterStrategy, JobPlacementFilterDirector>(ServiceLifetime.Singleton);
        builder.Services.AddPlacementDirector<ReplicaSpreadPlacement, ReplicaSpreadPlacementDirector>();
        // Bound from their sections and checked at start; the actions (tests, simulations) apply after the binding.
        var s = builder.Services.AddValidatedOptions<SegmentationOptions, SegmentationOptionsValidator>("Segmentation");
        if (segmentation is not null) s.Configure(segmentation);
        var m = builder.Services.AddValidatedOptions<ModelGrainOptions, ModelGrainOptionsValidator>("ModelGrain");
        if (model is not null) m.Configure(model);
        // One switch: a value that is not a boolean stops the start through the binder, which names the setting.
        var p = builder.Services.AddOptions<ModelPlacementOptions>().BindConfiguration("Placement").ValidateOnStart();
        if (placement is not null) p.Configure(placement);
        return builder;
    }
}
