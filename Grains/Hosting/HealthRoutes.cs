using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace InnerEye.Grains.Hosting;

/// <summary>
/// The probes of every process of the service, the front end and the silos alike: <c>GET /</c> (the App Service probe
/// of the InnerEye service), <c>/health/live</c> (the process only: it calls nothing), <c>/health/ready</c> and
/// <c>/health/startup</c> (the checks tagged <see cref="ReadyTag"/>). No authentication; GET and HEAD only.
/// </summary>
public static class HealthRoutes
{
    public const string ReadyTag = "ready";

    private static readonly string[] GetAndHead = [HttpMethods.Get, HttpMethods.Head];

    /// <summary>Adds <typeparamref name="TCheck"/> to the checks <c>/health/ready</c> and <c>/health/startup</c> run.</summary>
    public static IServiceCollection AddReadyCheck<TCheck>(this IServiceCollection services, string name) where TCheck : class, IHealthCheck
    {
        services.AddHealthChecks().AddCheck<TCheck>(name, tags: [ReadyTag]);
        return services;
    }

    public static IEndpointRouteBuilder MapHealthRoutes(this IEndpointRouteBuilder app)
    {
        app.MapGet("/", () => Results.Json(new { status = "Healthy" })).WithTags("health").WithSummary("Always healthy while the process runs.");
        // Health checks answer every method unless told otherwise; probes only read.
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false }).WithMetadata(new HttpMethodMetadata(GetAndHead));
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains(ReadyTag) })
            .WithMetadata(new HttpMethodMetadata(GetAndHead));
        app.MapHealthChecks("/health/startup", new HealthCheckOptions { Predicate = c => c.Tags.Contains(ReadyTag) })
            .WithMetadata(new HttpMethodMetadata(GetAndHead));
        return app;
    }
}
