using Microsoft.AspNetCore.Routing.Patterns;

namespace InnerEye.Gateway.Api.Routes;

/// <summary>
/// The dashboard's per-silo routes (<c>HistoricalStats</c>, <c>SiloProperties</c>, <c>SiloStats</c>,
/// <c>SiloCounters</c>) take a silo address from the path and build a grain from it: an address that does not parse
/// fails the grain's constructor (500), and one of no active silo waits on a call that cannot be delivered (503 "lost
/// connectivity"). This filter answers 404 <c>UnknownSilo</c> instead, for anything but an active silo's address as the
/// dashboard lists it.
/// </summary>
public static class DashboardSiloCheck
{
    private static readonly HashSet<string> SiloRoutes = new(StringComparer.OrdinalIgnoreCase)
    {
        "HistoricalStats", "SiloProperties", "SiloStats", "SiloCounters",
    };

    public static RouteGroupBuilder RequireKnownSilo(this RouteGroupBuilder dashboard)
    {
        ArgumentNullException.ThrowIfNull(dashboard);
        dashboard.AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            if (SiloParameter(http.GetEndpoint()) is not { } parameter) return await next(context);
            var address = http.GetRouteValue(parameter) as string ?? "";
            var hosts = await http.RequestServices.GetRequiredService<IGrainFactory>().GetGrain<IManagementGrain>(0)
                .GetHosts(onlyActive: true).WaitAsync(TimeSpan.FromSeconds(10), http.RequestAborted);
            var active = hosts.Keys.Select(k => k.ToParsableString()).ToList();
            if (active.Contains(address, StringComparer.Ordinal)) return await next(context);
            return ApiErrors.Result(StatusCodes.Status404NotFound, "UnknownSilo",
                $"'{address}' is not the address of an active silo; active: {string.Join(", ", active)}.");
        });
        return dashboard;
    }

    /// <summary>The route parameter holding the silo address, when the endpoint is one of the per-silo routes.</summary>
    private static string? SiloParameter(Endpoint? endpoint) =>
        endpoint is RouteEndpoint { RoutePattern: { PathSegments.Count: >= 2 } pattern } &&
        pattern.PathSegments[^2].Parts is [RoutePatternLiteralPart { Content: var name }] && SiloRoutes.Contains(name) &&
        pattern.PathSegments[^1].Parts is [RoutePatternParameterPart { Name: var parameter }]
            ? parameter
            : null;
}
