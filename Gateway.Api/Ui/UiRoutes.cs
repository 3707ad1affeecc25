using System.Globalization;
using InnerEye.Gateway.Api.Jobs;
using InnerEye.Gateway.Api.Routes;
using InnerEye.Grains;

namespace InnerEye.Gateway.Api.Ui;

/// <summary>
/// The web pages at <c>/ui</c>, rendered on the server: the list of jobs and a page per job. They sit behind the API
/// secret like every route; a browser gives it as the password of HTTP Basic authentication (any user name).
/// </summary>
public static class UiRoutes
{
    public static IEndpointRouteBuilder MapUiRoutes(this IEndpointRouteBuilder app)
    {
        var ui = app.MapGroup("/ui").WithTags("ui").ExcludeFromDescription();
        ui.MapGet("", ListAsync);
        ui.MapGet("/jobs/{segmentationId}", JobAsync);
        return app;
    }

    private static async Task<IResult> ListAsync(HttpRequest request, SegmentationService jobs, IServiceProvider services, CancellationToken ct)
    {
        var model = request.Query["model"].ToString();
        var state = request.Query["state"].ToString();
        var pageText = request.Query["page"].ToString();
        if (model.Length > 0 && !jobs.Models.Any(m => m.Id == model))
            return ApiErrors.Result(StatusCodes.Status400BadRequest, "InvalidFilter", $"model '{model}' is none of this service's models.");
        if (state.Length > 0 && !JobListView.States.Contains(state))
            return ApiErrors.Result(StatusCodes.Status400BadRequest, "InvalidFilter", $"state '{state}' is none of {string.Join(", ", JobListView.States)}.");
        var page = 1;
        if (pageText.Length > 0 && (!int.TryParse(pageText, NumberStyles.None, CultureInfo.InvariantCulture, out page) || page is < 1 or > 100_000))
            return ApiErrors.Result(StatusCodes.Status400BadRequest, "InvalidFilter", $"page '{pageText}' is not a page number (1 to 100000).");
        JobListPage? listed = null;
        if (services.GetService<IJobListing>() is { } listing)
        {
            var filter = new JobListFilter(model.Length > 0 ? model : null, state.Length > 0 ? state : null, (page - 1) * JobListView.PageSize,
                JobListView.PageSize);
            listed = await listing.ListAsync(filter, ct);
        }
        return JobListView.Render(listed, jobs.Models, model, state, page);
    }

    private static async Task<IResult> JobAsync(string segmentationId, SegmentationService jobs, HttpContext context, CancellationToken ct)
    {
        if (await jobs.GetAsync(segmentationId, ct) is not { } status)
        {
            return ApiErrors.Result(StatusCodes.Status404NotFound, "SegmentationNotFound", $"No segmentation '{segmentationId}'.",
                ApiErrors.InvalidRunId);
        }
        var kept = status.State == JobState.Completed ? jobs.KeptResultFormats(status) : [];
        using var preview = jobs.OpenPreview(status);
        return JobPage.Render(status, kept, preview is not null, null);
    }
}
