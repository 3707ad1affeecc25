using Orleans.Placement;
using Orleans.Runtime.MembershipService.SiloMetadata;
using Orleans.Runtime.Placement;

namespace InnerEye.Grains;

/// <summary>Keeps job grains off GPU silos when other silos exist (see <see cref="JobPlacementFilterDirector"/>).</summary>
public sealed class JobPlacementFilterStrategy() : PlacementFilterStrategy(order: 0);

/// <summary>Places the grain on silos whose role is not <c>gpu</c>, when there are any.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class JobPlacementFilterAttribute() : PlacementFilterAttribute(new JobPlacementFilterStrategy());

/// <summary>
/// The compatible silos whose metadata role is not <c>gpu</c> (CPU silos and the embedded all-in-one silo), so that
/// GPU silos keep their CPU for decoding and contouring and their loss takes no job state with it; every compatible
/// silo when only GPU silos exist. Reads the local metadata cache only.
/// </summary>
public sealed class JobPlacementFilterDirector(ISiloMetadataCache metadata) : IPlacementFilterDirector
{
    public const string RoleKey = "role";

    public IEnumerable<SiloAddress> Filter(PlacementFilterStrategy filterStrategy, PlacementTarget target, IEnumerable<SiloAddress> silos)
    {
        var all = silos.ToList();
        var jobs = all.Where(s => !IsGpuRole(s)).ToList();
        return jobs.Count > 0 ? jobs : all;
    }

    private bool IsGpuRole(SiloAddress silo) =>
        metadata.GetSiloMetadata(silo).Metadata.TryGetValue(RoleKey, out var role)
        && string.Equals(role, ModelPlacementOptions.Gpu, StringComparison.OrdinalIgnoreCase);
}
