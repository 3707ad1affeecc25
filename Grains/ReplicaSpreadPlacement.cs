using System.Globalization;
using Orleans.Placement;
using Orleans.Runtime.Placement;

namespace InnerEye.Grains;

/// <summary>Spreads a model's replicas over the silos that may host them (see <see cref="ReplicaSpreadPlacementDirector"/>).</summary>
public sealed class ReplicaSpreadPlacement : PlacementStrategy;

[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class ReplicaSpreadPlacementAttribute() : PlacementAttribute(new ReplicaSpreadPlacement());

/// <summary>
/// Places replica <c>i</c> of a model (grain key <c>&lt;modelId&gt;/&lt;i&gt;</c>) on the <c>i mod N</c>-th of the N
/// compatible silos (after the placement filters: the GPU silos) in address order, so that replicas land on different
/// GPUs rather than wherever the default placement happens to put them.
/// </summary>
public sealed class ReplicaSpreadPlacementDirector : IPlacementDirector
{
    public Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        var silos = context.GetCompatibleSilos(target).OrderBy(s => s.ToParsableString(), StringComparer.Ordinal).ToArray();
        if (silos.Length == 0) throw new OrleansException($"No silo can host {target.GrainIdentity}.");
        var key = target.GrainIdentity.Key.ToString() ?? "";
        var slash = key.LastIndexOf('/');
        var replica = slash >= 0 && int.TryParse(key.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var r) ? r : 0;
        return Task.FromResult(silos[replica % silos.Length]);
    }
}
