using Microsoft.Extensions.DependencyInjection;
using Orleans.Placement;

namespace InnerEye.Grains;

public static class GrainsHostingExtensions
{
    /// <summary>
    /// Registers the GPU placement filter and the grains' options. The host also registers a
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
        var s = builder.Services.AddOptions<SegmentationOptions>();
        if (segmentation is not null) s.Configure(segmentation);
        var m = builder.Services.AddOptions<ModelGrainOptions>();
        if (model is not null) m.Configure(model);
        m.Validate(o =>
        {
            try
            {
                return o.Formats().Count >= 0;
            }
            catch (ArgumentException)
            {
                return false;
            }
        }, "ModelGrain:ResultFormats names a format that is none of seg, labelmap-seg and nifti.")
            .Validate(o => !o.ValidatePreview().Any(), "ModelGrain:PreviewPanelPixels must be from 64 to 4096.").ValidateOnStart();
        var p = builder.Services.AddOptions<ModelPlacementOptions>();
        if (placement is not null) p.Configure(placement);
        return builder;
    }
}
