using System.Net.Http.Headers;
using System.Text;
using InnerEye.Gateway.Api.Routes;

namespace InnerEye.Gateway.Api.Security;

/// <summary>
/// Every route needs the <c>API_AUTH_SECRET</c> header except <c>/ping</c>, <c>/</c> and <c>/health/*</c>:
/// missing → 401, wrong → 403 (the InnerEye gateway stops itself on 403). The dashboard, opened in a browser that
/// cannot add headers, and DICOMweb clients (Orthanc, viewers), which send HTTP Basic credentials, may give the secret as
/// the password of HTTP Basic authentication on every route; a 401 on the dashboard, the web pages (<c>/ui</c>) and DICOMweb
/// asks for it (<c>WWW-Authenticate: Basic</c>). Any of the named keys (<see cref="ApiKeyRing"/>) is as good
/// as the secret; the request then carries the key's client name.
/// </summary>
public sealed class ApiKeyMiddleware(RequestDelegate next, ApiKeyRing keys)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (IsOpen(context.Request))
        {
            await next(context);
            return;
        }
        var dashboard = context.Request.Path.StartsWithSegments("/dashboard");
        string? given = context.Request.Headers.TryGetValue(ApiSecret.HeaderName, out var values) ? values.ToString() : null;
        given ??= BasicPassword(context.Request);
        if (given is null)
        {
            if (dashboard) context.Response.Headers.WWWAuthenticate = "Basic realm=\"InnerEye dashboard\", charset=\"UTF-8\"";
            else if (context.Request.Path.StartsWithSegments("/ui"))
                context.Response.Headers.WWWAuthenticate = "Basic realm=\"InnerEye\", charset=\"UTF-8\"";
            else if (context.Request.Path.StartsWithSegments("/dicomweb"))
                context.Response.Headers.WWWAuthenticate = "Basic realm=\"InnerEye DICOMweb\", charset=\"UTF-8\"";
            await ApiErrors.WriteAsync(context, StatusCodes.Status401Unauthorized, "NoAuthenticationInformation",
                $"Server failed to authenticate the request. Make sure the value of the {ApiSecret.HeaderName} header is populated.");
            return;
        }
        if (keys.ClientOf(given) is not { } client)
        {
            await ApiErrors.WriteAsync(context, StatusCodes.Status403Forbidden, "AuthenticationFailed",
                $"Server failed to authenticate the request. Make sure the value of the {ApiSecret.HeaderName} header is correct.");
            return;
        }
        context.Items[ClientItem] = client;
        await next(context);
    }

    /// <summary>Where the request's client name (the key's name) is kept for the rest of the pipeline.</summary>
    public const string ClientItem = "InnerEye.Client";

    /// <summary>The probes, whatever the method: another method than GET or HEAD gets 405 there, not 401.</summary>
    private static bool IsOpen(HttpRequest request) =>
        request.Path.StartsWithSegments("/health") || request.Path == "/" || request.Path == "/ping";

    private static string? BasicPassword(HttpRequest request)
    {
        if (!AuthenticationHeaderValue.TryParse(request.Headers.Authorization, out var header)) return null;
        if (!"Basic".Equals(header.Scheme, StringComparison.OrdinalIgnoreCase) || header.Parameter is null) return null;
        try
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(header.Parameter));
            var colon = text.IndexOf(':', StringComparison.Ordinal);
            return colon < 0 ? null : text[(colon + 1)..];
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
