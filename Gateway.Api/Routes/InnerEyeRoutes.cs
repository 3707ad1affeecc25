using InnerEye.Gateway.Api.Audit;
using InnerEye.Gateway.Api.Hosting;
using InnerEye.Gateway.Api.Jobs;
using InnerEye.Grains;
using InnerEye.Grains.Audit;
using Microsoft.Extensions.Options;

namespace InnerEye.Gateway.Api.Routes;

/// <summary>
/// The routes of Microsoft's InnerEye-Inference service, exactly as the stock InnerEye gateway calls them: it reads
/// only the status code, the bare id of a start, whether a 202 body is empty, and the single entry of a result zip.
/// </summary>
public static class InnerEyeRoutes
{
    private const string HtmlUtf8 = "text/html; charset=utf-8";

    public static IEndpointRouteBuilder MapInnerEyeRoutes(this IEndpointRouteBuilder app)
    {
        var v1 = app.MapGroup("/v1").WithTags("innereye-inference");
        v1.MapGet("/ping", () => Results.Content("", HtmlUtf8)).WithSummary("Checks the API secret (the gateway calls it every minute).");
        v1.MapPost("/model/start/{modelId}", StartAsync)
            .Audited(AuditActions.Submit)
            .Produces<string>(StatusCodes.Status201Created, "text/plain")
            .WithSummary("Starts a segmentation of the raw zip body; answers its id as bare text.");
        v1.MapGet("/model/results/{runId}", ResultsAsync)
            .Audited(AuditActions.Status)
            .Produces(StatusCodes.Status200OK, contentType: "application/zip")
            .Produces(StatusCodes.Status202Accepted)
            .WithSummary("202 with an empty body while the job runs; 200 with a zip holding segmentation.dcm when done.");
        return app;
    }

    private static async Task<IResult> StartAsync(string modelId, HttpRequest request, SegmentationService jobs, IOptions<ApiOptions> options,
        CancellationToken ct)
    {
        try
        {
            var status = await jobs.SubmitAsync(modelId, request, checkZip: false, ct);
            return new BareTextCreated(status.SegmentationId);
        }
        catch (Exception e) when (SubmitErrors.ToResult(e, options.Value.RetryAfterSeconds) is { } result)
        {
            return result;
        }
    }

    /// <summary>A status read while the job runs, a download once it has completed (the audit record's action).</summary>
    private static async Task<IResult> ResultsAsync(string runId, HttpContext context, SegmentationService jobs, CancellationToken ct)
    {
        var status = await jobs.GetAsync(runId, ct);
        if (status is null)
            return ApiErrors.Result(StatusCodes.Status404NotFound, "ResourceNotFound", $"No run '{runId}'.", ApiErrors.InvalidRunId);
        var audit = AuditScope.Of(context);
        audit.Job(status);
        switch (status.State)
        {
            case JobState.Queued or JobState.Running:
                return Results.Content("", HtmlUtf8, statusCode: StatusCodes.Status202Accepted);
            case JobState.Completed:
                audit.Action = AuditActions.Download;
                return Results.Stream(await jobs.OpenResultZipAsync(status, ct), "application/zip");
            case JobState.Cancelled:
                audit.Outcome = "cancelled";
                return ApiErrors.Result(StatusCodes.Status500InternalServerError, "InternalError", "The run was cancelled.", ApiErrors.RunCancelled);
            default:
                return FailureResponses.InnerEye(status);
        }
    }

    /// <summary>201 whose body is the id alone: no JSON, no quotes, no newline (the gateway reads the body as the id).</summary>
    private sealed class BareTextCreated(string id) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.StatusCode = StatusCodes.Status201Created;
            httpContext.Response.ContentType = "text/plain";
            return httpContext.Response.WriteAsync(id);
        }
    }
}
