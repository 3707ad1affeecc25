using System.Text.RegularExpressions;
using InnerEye.Gateway.Api.Jobs;
using InnerEye.Gateway.Api.Routes;
using InnerEye.Gateway.Api.Security;
using InnerEye.Grains.Audit;
using InnerEye.Inference;

namespace InnerEye.Gateway.Api.Audit;

/// <summary>
/// Writes the audit record of each request to an audited endpoint (<see cref="AuditedEndpoint"/>) when the response
/// starts, before any of it reaches the client: status and headers are known then, and a record that cannot be written
/// fails the request rather than letting it be answered unrecorded. Runs after the API key check, so every record
/// names its client.
/// </summary>
public sealed partial class AuditMiddleware(RequestDelegate next, IAuditLog log, ModelCatalog catalog, TimeProvider time)
{
    public Task InvokeAsync(HttpContext context)
    {
        if (context.GetEndpoint() is not { } endpoint || endpoint.Metadata.GetMetadata<AuditedEndpoint>() is not { } audited)
            return next(context);
        var scope = new AuditScope(audited.Action);
        var values = context.Request.RouteValues;
        if (values.TryGetValue("modelId", out var model) && model is string m && ModelPattern().IsMatch(m)) scope.ModelId = m;
        var id = values.TryGetValue("segmentationId", out var s) ? s as string : values.TryGetValue("runId", out var r) ? r as string : null;
        if (id is not null && SegmentationService.IsValidId(id)) scope.SegmentationId = id;
        AuditScope.Attach(context, scope);
        var route = endpoint is RouteEndpoint { RoutePattern.RawText: { } raw } ? $"{context.Request.Method} /{raw.Trim('/')}" : null;
        context.Response.OnStarting(() =>
        {
            log.Write(RecordOf(context, scope, route));
            return Task.CompletedTask;
        });
        return next(context);
    }

    private AuditRecord RecordOf(HttpContext context, AuditScope scope, string? route)
    {
        var status = context.Response.StatusCode;
        var (modelId, version) = AuditModel.Split(scope.ModelId);
        if (modelId is not null && version is null) version = LoadedVersion(modelId);
        var bytes = scope.Bytes ?? scope.Body?.Position ??
            (scope.Action is AuditActions.Download or AuditActions.Preview && status < 300 ? context.Response.ContentLength : null);
        var outcome = scope.Outcome ?? (status < 400 ? AuditActions.Ok : ApiErrors.TitleOf(context) ?? ApiErrors.CodeName(status));
        return new AuditRecord(time.GetUtcNow(), context.Items[ApiKeyMiddleware.ClientItem] as string, scope.Action, route, status, modelId,
            version, scope.SegmentationId, scope.StudyHash, bytes, outcome);
    }

    private string? LoadedVersion(string modelId)
    {
        try
        {
            return catalog.Find(modelId).Version;
        }
        catch (Exception e) when (e is ModelNotFoundException or ModelVersionMismatchException)
        {
            return null;
        }
    }

    [GeneratedRegex("^[A-Za-z0-9_.:-]{1,128}$")]
    private static partial Regex ModelPattern();
}
