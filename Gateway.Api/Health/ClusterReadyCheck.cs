using InnerEye.Inference;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace InnerEye.Gateway.Api.Health;

/// <summary>
/// Ready when the process is not stopping, the cluster answers (an active silo is listed) and models are loaded.
/// </summary>
public sealed class ClusterReadyCheck(IGrainFactory grains, ModelCatalog catalog, IHostApplicationLifetime lifetime) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (lifetime.ApplicationStopping.IsCancellationRequested) return HealthCheckResult.Unhealthy("The service is stopping.");
        if (catalog.Models.Count == 0) return HealthCheckResult.Unhealthy("No models are loaded.");
        try
        {
            var hosts = await grains.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true).WaitAsync(TimeSpan.FromSeconds(5), cancellationToken);
            return hosts.Count > 0
                ? HealthCheckResult.Healthy($"{hosts.Count} active silo(s); models {string.Join(", ", catalog.Models.Select(m => m.FullId))}.")
                : HealthCheckResult.Unhealthy("The cluster has no active silo.");
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy("The cluster does not answer.", e);
        }
    }
}
