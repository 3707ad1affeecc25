using System.Text;
using InnerEye.Gateway.Api.Jobs;
using InnerEye.Inference;

namespace InnerEye.Gateway.Api.Ui;

/// <summary>
/// The page listing jobs, newest first (from the service's job index, as <c>GET /api/v1/segmentations</c> lists them):
/// state, model, stage, times and client, with filters by model and state and pages of <see cref="PageSize"/>.
/// </summary>
public static class JobListView
{
    public const int PageSize = 50;

    /// <param name="cursor">The position this page starts from (null for the newest jobs).</param>
    public static IResult Render(JobListPage jobs, IReadOnlyList<ModelConfig> models, string? model, string? state, string? cursor)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        ArgumentNullException.ThrowIfNull(models);
        var e = HtmlPage.Encode;
        var html = new StringBuilder();
        html.Append("<form class=\"filters\" method=\"get\" action=\"/ui\"><label>Model <select name=\"model\"><option value=\"\">all</option>");
        foreach (var m in models)
            html.Append($"<option value=\"{e(m.Id)}\"{(m.Id == model ? " selected" : "")}>{e(m.Id)}</option>");
        html.Append("</select></label><label>State <select name=\"state\"><option value=\"\">all</option>");
        foreach (var s in JobListQuery.StateNames)
            html.Append($"<option value=\"{e(s)}\"{(s == state ? " selected" : "")}>{e(s)}</option>");
        html.Append("</select></label><button type=\"submit\">Show</button></form>");

        html.Append("<table id=\"jobs\"><thead><tr><th>Segmentation</th><th>State</th><th>Model</th><th>Stage</th><th>Created</th>")
            .Append("<th>Updated</th><th>Client</th></tr></thead><tbody>");
        foreach (var job in jobs.Items)
        {
            var stage = job.State == "running" && job.Stage is { } running ? $"{running} ({job.Progress} %)" : job.ErrorCode ?? "";
            html.Append($"<tr class=\"job\" data-id=\"{e(job.SegmentationId)}\">")
                .Append($"<td><a href=\"/ui/jobs/{e(Uri.EscapeDataString(job.SegmentationId))}\">")
                .Append($"<code>{e(job.SegmentationId)}</code></a></td><td>{HtmlPage.StateBadge(job.State)}</td><td>{e(job.ModelId)}</td>")
                .Append($"<td>{e(stage)}</td><td>{HtmlPage.Time(job.CreatedAt)}</td><td>{HtmlPage.Time(job.UpdatedAt)}</td>")
                .Append($"<td>{e(job.Client)}</td></tr>");
        }
        if (jobs.Items.Count == 0) html.Append("<tr><td colspan=\"7\" class=\"note\">No segmentations match.</td></tr>");
        html.Append("</tbody></table><nav class=\"paging\">");
        if (cursor is not null) html.Append($"<a rel=\"first\" href=\"{e(Link(model, state, null))}\">Newest</a>");
        if (jobs.Next is { } next) html.Append($"<a rel=\"next\" href=\"{e(Link(model, state, next))}\">Older</a>");
        html.Append("</nav>");
        return HtmlPage.Result("Segmentations", html.ToString());
    }

    private static string Link(string? model, string? state, string? cursor)
    {
        var query = new List<string>();
        if (!string.IsNullOrEmpty(model)) query.Add("model=" + Uri.EscapeDataString(model));
        if (!string.IsNullOrEmpty(state)) query.Add("state=" + Uri.EscapeDataString(state));
        if (cursor is not null) query.Add("cursor=" + Uri.EscapeDataString(cursor));
        return "/ui" + (query.Count > 0 ? "?" + string.Join('&', query) : "");
    }
}
