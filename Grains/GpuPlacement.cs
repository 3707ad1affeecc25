using Microsoft.Extensions.Options;
using Orleans.Placement;
using Orleans.Runtime.MembershipService.SiloMetadata;
using Orleans.Runtime.Placement;

namespace InnerEye.Grains;

/// <summary>Keeps the silos whose metadata says <c>accelerator = gpu</c> (see <see cref="GpuPlacementFilterDirector"/>).</summary>
public sealed class GpuPlacementFilterStrategy() : PlacementFilterStrategy(order: 0);

/// <summary>Places the grain only on silos whose metadata says <c>accelerator = gpu</c>.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class GpuPlacementFilterAttribute() : PlacementFilterAttribute(new GpuPlacementFilterStrategy());

/// <summary>
/// The compatible silos whose metadata (<c>UseSiloMetadata</c>) has <c>accelerator = gpu</c>. When there are none
/// and <see cref="ModelPlacementOptions.AllowCpuFallback"/> is set, every compatible silo. Reads the local metadata
/// cache only, so it adds no remote call to placement.
/// </summary>
public sealed class GpuPlacementFilterDirector(ISiloMetadataCache metadata, IOptions<ModelPlacementOptions> options) : IPlacementFilterDirector
{
    public IEnumerable<SiloAddress> Filter(PlacementFilterStrategy filterStrategy, PlacementTarget target, IEnumerable<SiloAddress> silos)
    {
        var all = silos.ToList();
        var gpu = all.Where(IsGpu).ToList();
        return gpu.Count > 0 || !options.Value.AllowCpuFallback ? gpu : all;
    }

    private bool IsGpu(SiloAddress silo) =>
        metadata.GetSiloMetadata(silo).Metadata.TryGetValue(ModelPlacementOptions.AcceleratorKey, out var value)
        && string.Equals(value, ModelPlacementOptions.Gpu, StringComparison.OrdinalIgnoreCase);
}
