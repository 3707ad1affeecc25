using InnerEye.Gateway.Api.Audit;
using InnerEye.Gateway.Api.Jobs;
using InnerEye.Gateway.Api.Routes;
using InnerEye.Grains;
using InnerEye.Grains.Audit;

namespace InnerEye.Gateway.Api.Ui;

/// <summary>
/// The web pages at <c>/ui</c>, rendered on the server: the list of jobs and a page per job. They sit behind the API
/// secret like every route (a browser gives it as the password of HTTP Basic authentication, any user name) and leave
/// the audit records of the API routes they stand for (list, status).
/// </summary>
public static class UiRoutes
{
    public static IEndpointRouteBuilder MapUiRoutes(this IEndpointRouteBuilder app)
    {
        var ui = app.MapGroup("/ui").WithTags("ui").ExcludeFromDescription();
        ui.MapGet("", ListAsync).Audited(AuditActions.List);
        ui.MapGet("/jobs/{segmentationId}", JobAsync).Audited(AuditActions.Status);
        return app;
    }

    private static async Task<IResult> ListAsync(HttpRequest request, SegmentationService jobs, CancellationToken ct)
    {
        var model = request.Query["model"].ToString();
        var state = request.Query["state"].ToString();
        var cursor = request.Query.TryGetValue("cursor", out var c) ? c.ToString() : null;
        if (model.Length > 0 && !jobs.Models.Any(m => m.Id == model))
            return Invalid("model", $"model '{model}' is none of this service's models.");
        JobState? wanted = null;
        if (state.Length > 0)
        {
            if (!JobListQuery.TryParseState(state, out var parsed))
                return Invalid("state", $"state '{state}' is none of {string.Join(", ", JobListQuery.StateNames)}.");
            wanted = parsed;
        }
        if (cursor is not null && !JobListCursor.TryParse(cursor, out _, out _))
            return Invalid("cursor", "cursor is not one of this service's page links.");
        var page = await jobs.ListAsync(new JobListQuery(model.Length > 0 ? model : null, wanted, null, JobListView.PageSize, cursor), ct);
        return JobListView.Render(page, jobs.Models, model, state, cursor);
    }

    private static async Task<IResult> JobAsync(string segmentationId, SegmentationService jobs, HttpContext context, CancellationToken ct)
    {
        if (await jobs.GetAsync(segmentationId, ct) is not { } status)
        {
            return ApiErrors.Result(StatusCodes.Status404NotFound, "SegmentationNotFound", $"No segmentation '{segmentationId}'.",
                ApiErrors.InvalidRunId);
        }
        AuditScope.Of(context).Job(status);
        var kept = status.State == JobState.Completed ? jobs.KeptResultFormats(status) : [];
        using var preview = jobs.OpenPreview(status);
        return JobPage.Render(status, kept, preview is not null);
    }

    private static IResult Invalid(string parameter, string detail) =>
        ApiErrors.Result(StatusCodes.Status400BadRequest, "InvalidQueryParameter", detail, parameter);
}
