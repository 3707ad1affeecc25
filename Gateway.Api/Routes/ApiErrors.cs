using System.Text.Json;
using System.Text.Json.Serialization;

namespace InnerEye.Gateway.Api.Routes;

/// <summary>
/// Error bodies in the shape the InnerEye inference service used, <c>{"code", "status", "title", "detail",
/// "extra_details"?}</c> (code: the HTTP status name), on every route: <c>application/json</c> on the <c>/v1</c> routes
/// as the gateway's service sent it, <c>application/problem+json</c> elsewhere (title, status and detail are the RFC 9457
/// members).
/// </summary>
public static class ApiErrors
{
    public const string InvalidModelId = "InvalidModelId";
    public const string InvalidZipFile = "InvalidZipFile";
    public const string InvalidRunId = "InvalidRunId";
    public const string RunCancelled = "RunCancelled";

    public sealed record Body(
        [property: JsonPropertyName("code")] string Code,
        [property: JsonPropertyName("status")] int Status,
        [property: JsonPropertyName("title")] string Title,
        [property: JsonPropertyName("detail")] string Detail,
        [property: JsonPropertyName("extra_details"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? ExtraDetails);

    private static readonly JsonSerializerOptions Json = new();

    /// <summary>Where the title of the error a request was answered with is kept (the audit record's outcome).</summary>
    private const string TitleItem = "InnerEye.ErrorTitle";

    public static string? TitleOf(HttpContext context) => context?.Items[TitleItem] as string;

    public static Task WriteAsync(HttpContext context, int status, string title, string detail, string? extraDetails = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Items[TitleItem] = title;
        var bytes = JsonSerializer.SerializeToUtf8Bytes(new Body(CodeName(status), status, title, detail, extraDetails), Json);
        context.Response.StatusCode = status;
        context.Response.ContentType = ContentType(context.Request);
        context.Response.ContentLength = bytes.Length;
        return context.Response.Body.WriteAsync(bytes).AsTask();
    }

    public static IResult Result(int status, string title, string detail, string? extraDetails = null) =>
        new ErrorResult(new Body(CodeName(status), status, title, detail, extraDetails));

    public static string CodeName(int status) => status switch
    {
        400 => "BAD_REQUEST",
        401 => "UNAUTHORIZED",
        403 => "FORBIDDEN",
        404 => "NOT_FOUND",
        405 => "METHOD_NOT_ALLOWED",
        408 => "REQUEST_TIMEOUT",
        409 => "CONFLICT",
        413 => "REQUEST_ENTITY_TOO_LARGE",
        415 => "UNSUPPORTED_MEDIA_TYPE",
        422 => "UNPROCESSABLE_ENTITY",
        500 => "INTERNAL_SERVER_ERROR",
        503 => "SERVICE_UNAVAILABLE",
        _ => $"HTTP_{status}",
    };

    private static string ContentType(HttpRequest request) =>
        request.Path.StartsWithSegments("/v1") ? "application/json" : "application/problem+json";

    private sealed class ErrorResult(Body body) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext) =>
            WriteAsync(httpContext, body.Status, body.Title, body.Detail, body.ExtraDetails);
    }
}
