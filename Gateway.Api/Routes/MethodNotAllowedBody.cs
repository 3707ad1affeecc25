namespace InnerEye.Gateway.Api.Routes;

/// <summary>Gives routing's bare 405 the error body every other refusal has, naming the methods the route allows.</summary>
public sealed class MethodNotAllowedBody(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        await next(context);
        if (context.Response.StatusCode != StatusCodes.Status405MethodNotAllowed || context.Response.HasStarted) return;
        var allowed = context.Response.Headers.Allow.ToString();
        await ApiErrors.WriteAsync(context, StatusCodes.Status405MethodNotAllowed, "MethodNotAllowed",
            $"{context.Request.Method} is not allowed on {context.Request.Path}; allowed: {(allowed.Length > 0 ? allowed : "none")}.");
    }
}
