using System.Globalization;
using System.Text.RegularExpressions;
using InnerEye.Gateway.Api.Audit;
using InnerEye.Gateway.Api.Jobs;
using InnerEye.Grains;
using InnerEye.Grains.Audit;

namespace InnerEye.Gateway.Api.Routes;

/// <summary><c>GET /api/v1/segmentations</c>: the jobs, newest first, filtered and paged; a bad parameter gets 400 naming it.</summary>
public static partial class JobListRoutes
{
    public static IEndpointRouteBuilder MapJobListRoutes(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/segmentations", ListAsync)
            .Audited(AuditActions.List)
            .WithTags("segmentation")
            .Produces<JobListPage>()
            .WithSummary("The segmentations, newest first: ?model=Id[:Version]&state=queued|running|completed|failed|cancelled" +
                "&since=ISO-8601&limit=1..500 (50)&cursor=<next of the previous page>.");
        return app;
    }

    private static async Task<IResult> ListAsync(HttpRequest request, SegmentationService jobs, CancellationToken ct)
    {
        var q = request.Query;
        string? model = null;
        if (q.TryGetValue("model", out var m))
        {
            model = m.ToString();
            if (!ModelPattern().IsMatch(model)) return Invalid("model", $"model '{model}' is not a model id (Id or Id:Version).");
        }
        JobState? state = null;
        if (q.TryGetValue("state", out var s))
        {
            if (!JobListQuery.TryParseState(s.ToString(), out var parsed))
                return Invalid("state", $"state '{s}' is none of {string.Join(", ", JobListQuery.StateNames)}.");
            state = parsed;
        }
        DateTimeOffset? since = null;
        if (q.TryGetValue("since", out var t))
        {
            if (!IsoPattern().IsMatch(t.ToString()) || !DateTimeOffset.TryParse(t.ToString(), CultureInfo.InvariantCulture,
                    DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed))
                return Invalid("since", $"since '{t}' is not an ISO 8601 time such as 2026-01-31T08:00:00Z.");
            since = parsed;
        }
        var limit = JobListQuery.DefaultLimit;
        if (q.TryGetValue("limit", out var l) && (!int.TryParse(l, NumberStyles.None, CultureInfo.InvariantCulture, out limit) ||
                limit < 1 || limit > JobListQuery.MaxLimit))
            return Invalid("limit", $"limit '{l}' is not a whole number from 1 to {JobListQuery.MaxLimit}.");
        string? cursor = q.TryGetValue("cursor", out var c) ? c.ToString() : null;
        if (cursor is not null && !JobListCursor.TryParse(cursor, out _, out _))
            return Invalid("cursor", "cursor is not the 'next' of a page this service gave.");
        return Results.Ok(await jobs.ListAsync(new JobListQuery(model, state, since, limit, cursor), ct));
    }

    private static IResult Invalid(string parameter, string detail) =>
        ApiErrors.Result(StatusCodes.Status400BadRequest, "InvalidQueryParameter", detail, parameter);

    [GeneratedRegex("^[A-Za-z0-9_.-]{1,100}(:[A-Za-z0-9_.-]{1,27})?$")]
    private static partial Regex ModelPattern();

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?(Z|[+-]\d{2}:?\d{2})?)?$")]
    private static partial Regex IsoPattern();
}
