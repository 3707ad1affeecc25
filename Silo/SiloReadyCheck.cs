using InnerEye.Inference;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace InnerEye.Silo;

/// <summary>Ready while the silo runs with its models loaded; not ready once it is stopping, so traffic drains first.</summary>
public sealed class SiloReadyCheck(ModelCatalog catalog, IHostApplicationLifetime lifetime) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(lifetime.ApplicationStopping.IsCancellationRequested ? HealthCheckResult.Unhealthy("The silo is stopping.")
            : !lifetime.ApplicationStarted.IsCancellationRequested ? HealthCheckResult.Unhealthy("The silo is starting.")
            : HealthCheckResult.Healthy($"Models {string.Join(", ", catalog.Models.Select(m => m.FullId))}."));
}
