using InnerEye.Gateway.Api.Audit;
using InnerEye.Gateway.Api.Hosting;
using InnerEye.Gateway.Api.Jobs;
using InnerEye.Grains;
using InnerEye.Grains.Audit;
using Microsoft.Extensions.Options;

namespace InnerEye.Gateway.Api.Routes;

/// <summary>
/// The service's own routes: <c>/ping</c>, <c>/api/ping</c>, <c>/api/v1/models</c> and a segmentation resource per
/// job under its model, with JSON status, the result as a zip (or the bare DICOM file), and cancel.
/// </summary>
public static class SeedRoutes
{
    public static IEndpointRouteBuilder MapSeedRoutes(this IEndpointRouteBuilder app)
    {
        app.MapGet("/ping", () => Results.Ok()).WithTags("health").WithSummary("Liveness of the front end; no authentication.");
        var api = app.MapGroup("/api").WithTags("segmentation");
        api.MapGet("/ping", () => Results.Ok()).WithSummary("Checks the API secret.");
        api.MapGet("/v1/models", (SegmentationService jobs) => jobs.Models.Select(ModelView.From).ToList())
            .WithSummary("The models this service runs.");

        var segmentations = api.MapGroup("/v1/models/{modelId}/segmentation");
        segmentations.MapPost("", SubmitAsync)
            .Audited(AuditActions.Submit)
            .Produces<SegmentationCreated>(StatusCodes.Status201Created)
            .WithSummary("Uploads a zip of DICOM slices (raw body or one multipart file) and starts a segmentation.");
        segmentations.MapGet("/{segmentationId}", GetAsync).Audited(AuditActions.Status)
            .Produces<SegmentationView>().WithSummary("The segmentation's status.");
        segmentations.MapGet("/{segmentationId}/result", ResultAsync)
            .Audited(AuditActions.Download)
            .Produces(StatusCodes.Status200OK, contentType: "application/zip")
            .WithSummary("The result: ?format=rtstruct (default: a zip with one entry segmentation.dcm, or the file itself with " +
                "Accept: application/dicom), seg or labelmap-seg (DICOM Segmentation), nifti (the label volume, .nii.gz).");
        segmentations.MapGet("/{segmentationId}/preview.png", PreviewAsync)
            .Audited(AuditActions.Preview)
            .Produces(StatusCodes.Status200OK, contentType: "image/png")
            .WithSummary("A PNG of the source in axial, coronal and sagittal cuts with the structures' outlines; 404 PreviewUnavailable " +
                "until the job has completed (and when ModelGrain:Preview is off).");
        segmentations.MapDelete("/{segmentationId}", CancelAsync).Audited(AuditActions.Cancel)
            .Produces<SegmentationView>(StatusCodes.Status202Accepted)
            .WithSummary("Cancels the segmentation (idempotent).");
        return app;
    }

    private static async Task<IResult> SubmitAsync(string modelId, HttpRequest request, SegmentationService jobs,
        IOptions<ApiOptions> options, CancellationToken ct)
    {
        try
        {
            var status = await jobs.SubmitAsync(modelId, request, checkZip: true, ct);
            return Results.Created($"/api/v1/models/{Uri.EscapeDataString(modelId)}/segmentation/{status.SegmentationId}",
                new SegmentationCreated(status.SegmentationId, status.ModelId, status.State.ToString().ToLowerInvariant()));
        }
        catch (Exception e) when (SubmitErrors.ToResult(e, options.Value.RetryAfterSeconds) is { } result)
        {
            return result;
        }
    }

    private static async Task<IResult> GetAsync(string modelId, string segmentationId, HttpContext context, SegmentationService jobs,
        CancellationToken ct) =>
        await FindAsync(modelId, segmentationId, context, jobs, ct) is { } status
            ? Results.Ok(SegmentationView.From(status))
            : NotFound(segmentationId);

    private static async Task<IResult> ResultAsync(string modelId, string segmentationId, HttpRequest request, SegmentationService jobs,
        CancellationToken ct)
    {
        var format = ResultFormat.RtStruct;
        if (request.Query.TryGetValue("format", out var asked) && !ResultArtifacts.TryParse(asked.ToString(), out format))
        {
            return ApiErrors.Result(StatusCodes.Status400BadRequest, "UnknownResultFormat",
                $"format '{asked}' is none of rtstruct, seg, labelmap-seg and nifti.");
        }
        if (await FindAsync(modelId, segmentationId, request.HttpContext, jobs, ct) is not { } status) return NotFound(segmentationId);
        if (status.State == JobState.Failed) return FailureResponses.Seed(status);
        if (status.State != JobState.Completed || status.Result is null)
        {
            // The audit record's outcome names why there is no result yet: the job's state.
            AuditScope.Of(request.HttpContext).Outcome = status.State.ToString().ToLowerInvariant();
            return Results.Json(SegmentationView.From(status), statusCode: StatusCodes.Status409Conflict);
        }
        if (format != ResultFormat.RtStruct)
        {
            return jobs.OpenResult(status, format) is { } file
                ? Results.Stream(file, format == ResultFormat.Nifti ? "application/gzip" : "application/dicom",
                    $"{segmentationId}{(format == ResultFormat.Nifti ? ".nii.gz" : $".{ResultArtifacts.Name(format)}.dcm")}")
                : ApiErrors.Result(StatusCodes.Status404NotFound, "ResultFormatUnavailable",
                    $"Segmentation '{segmentationId}' has no {ResultArtifacts.Name(format)} result: the service keeps the forms named by " +
                    "ModelGrain:ResultFormats, and a model whose regions overlap has no label map.");
        }
        var wantsDicom = request.Headers.Accept.Any(a => a is not null &&
            a.Contains("application/dicom", StringComparison.OrdinalIgnoreCase));
        return wantsDicom
            ? Results.Stream(jobs.OpenResult(status), "application/dicom", $"{segmentationId}.dcm")
            : Results.Stream(await jobs.OpenResultZipAsync(status, ct), "application/zip", $"{segmentationId}.zip");
    }

    private static async Task<IResult> PreviewAsync(string modelId, string segmentationId, HttpContext context, SegmentationService jobs,
        CancellationToken ct)
    {
        if (await FindAsync(modelId, segmentationId, context, jobs, ct) is not { } status) return NotFound(segmentationId);
        return jobs.OpenPreview(status) is { } png
            ? Results.Stream(png, "image/png")
            : ApiErrors.Result(StatusCodes.Status404NotFound, "PreviewUnavailable",
                $"Segmentation '{segmentationId}' has no preview: it is {status.State.ToString().ToLowerInvariant()}, and a preview is " +
                "rendered only when a job completes (unless ModelGrain:Preview is off).");
    }

    private static async Task<IResult> CancelAsync(string modelId, string segmentationId, HttpContext context, SegmentationService jobs,
        CancellationToken ct)
    {
        if (await FindAsync(modelId, segmentationId, context, jobs, ct) is null) return NotFound(segmentationId);
        return await jobs.CancelAsync(segmentationId, ct) is { } status
            ? Results.Json(SegmentationView.From(status), statusCode: StatusCodes.Status202Accepted)
            : NotFound(segmentationId);
    }

    /// <summary>The job, when it exists and belongs to the model in the path (named as submitted, or by its bare id).</summary>
    private static async Task<SegmentationStatus?> FindAsync(string modelId, string segmentationId, HttpContext context, SegmentationService jobs,
        CancellationToken ct)
    {
        var status = await jobs.GetAsync(segmentationId, ct);
        if (status is null) return null;
        if (status.ModelId != modelId && BareId(status.ModelId) != BareId(modelId)) return null;
        AuditScope.Of(context).Job(status);
        return status;
    }

    private static string BareId(string modelId) => modelId.Split(':', 2)[0];

    private static IResult NotFound(string segmentationId) =>
        ApiErrors.Result(StatusCodes.Status404NotFound, "SegmentationNotFound", $"No segmentation '{segmentationId}' under this model.",
            ApiErrors.InvalidRunId);
}
