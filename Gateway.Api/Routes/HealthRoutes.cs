using Microsoft.AspNetCore.Diagnostics.HealthChecks;

namespace InnerEye.Gateway.Api.Routes;

/// <summary>
/// <c>GET /</c> (the App Service probe of the InnerEye service), <c>/health/live</c> (the process only: it calls
/// nothing), <c>/health/ready</c> and <c>/health/startup</c> (cluster reachable, models loaded). No authentication;
/// GET and HEAD only.
/// </summary>
public static class HealthRoutes
{
    public const string ReadyTag = "ready";

    public static IEndpointRouteBuilder MapHealthRoutes(this IEndpointRouteBuilder app)
    {
        app.MapGet("/", () => Results.Json(new { status = "Healthy" })).WithTags("health").WithSummary("Always healthy while the process runs.");
        // Health checks answer every method unless told otherwise; probes only read.
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false }).WithMetadata(new HttpMethodMetadata(ReadMethods.GetAndHead));
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains(ReadyTag) })
            .WithMetadata(new HttpMethodMetadata(ReadMethods.GetAndHead));
        app.MapHealthChecks("/health/startup", new HealthCheckOptions { Predicate = c => c.Tags.Contains(ReadyTag) })
            .WithMetadata(new HttpMethodMetadata(ReadMethods.GetAndHead));
        return app;
    }
}
