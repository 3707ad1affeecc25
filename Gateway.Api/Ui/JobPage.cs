using System.Globalization;
using System.Text;
using InnerEye.Grains;
using InnerEye.Inference;

namespace InnerEye.Gateway.Api.Ui;

/// <summary>
/// The page of one job: its state, model, stage, client and times, the timeline of its states and stages, the preview image
/// and links to the result in each form kept. No patient data: no UIDs, no file names, no error detail (the status
/// JSON has it), only the error's code.
/// </summary>
public static class JobPage
{
    /// <summary>How often a page of a job still in progress reloads itself.</summary>
    public const int RefreshSeconds = 5;

    public static IResult Render(SegmentationStatus status, IReadOnlyList<ResultFormat> kept, bool hasPreview)
    {
        ArgumentNullException.ThrowIfNull(status);
        ArgumentNullException.ThrowIfNull(kept);
        var e = HtmlPage.Encode;
        var state = status.State.ToString().ToLowerInvariant();
        var resource = $"/api/v1/models/{Uri.EscapeDataString(status.ModelId)}/segmentation/{Uri.EscapeDataString(status.SegmentationId)}";
        var html = new StringBuilder();
        html.Append("<table id=\"job\" class=\"job\"><tbody>")
            .Append($"<tr><th>Segmentation</th><td><code>{e(status.SegmentationId)}</code></td></tr>")
            .Append($"<tr><th>Model</th><td>{e(status.ModelId)}</td></tr>")
            .Append($"<tr><th>State</th><td>{HtmlPage.StateBadge(state)}</td></tr>");
        if (status.State == JobState.Running)
            html.Append(CultureInfo.InvariantCulture, $"<tr><th>Stage</th><td>{e(status.Stage)} ({status.Progress} %)</td></tr>");
        if (status.Client is { } client) html.Append($"<tr><th>Client</th><td>{e(client)}</td></tr>");
        html.Append($"<tr><th>Created</th><td>{HtmlPage.Time(status.CreatedAt)}</td></tr>")
            .Append($"<tr><th>Updated</th><td>{HtmlPage.Time(status.UpdatedAt)}</td></tr>");
        if (status.ErrorCode is { } code) html.Append($"<tr><th>Error</th><td><code>{e(code)}</code></td></tr>");
        html.Append("</tbody></table>");

        html.Append("<h2>Timeline</h2><ol id=\"timeline\" class=\"timeline\">");
        for (var i = 0; i < status.Stages.Count; i++)
        {
            var stage = status.Stages[i];
            html.Append($"<li data-stage=\"{e(stage.Stage)}\"><span class=\"stage\">{e(Describe(stage.Stage))}</span>")
                .Append($"<span class=\"at\">{HtmlPage.Time(stage.At)}</span>");
            if (i + 1 < status.Stages.Count)
            {
                var took = (status.Stages[i + 1].At - stage.At).TotalSeconds;
                html.Append(CultureInfo.InvariantCulture, $"<span class=\"at took\">{took:0.0} s</span>");
            }
            html.Append("</li>");
        }
        html.Append("</ol>");

        html.Append("<h2>Preview</h2>");
        html.Append(hasPreview
            ? $"<img id=\"preview\" class=\"preview\" src=\"{e(resource)}/preview.png\" " +
              "alt=\"Axial, coronal and sagittal cuts with the structures' outlines\">"
            : "<p class=\"note\" id=\"no-preview\">The preview is shown once the job has completed.</p>");

        if (status.State == JobState.Completed && status.Result is not null)
        {
            html.Append("<h2>Downloads</h2><ul id=\"downloads\">");
            html.Append($"<li><a href=\"{e(resource)}/result\">RT Structure Set (zip)</a></li>");
            foreach (var format in kept.Where(f => f != ResultFormat.RtStruct))
                html.Append($"<li><a href=\"{e(resource)}/result?format={e(ResultArtifacts.Name(format))}\">{e(Label(format))}</a></li>");
            html.Append("</ul>");
        }
        html.Append($"<p class=\"note\"><a href=\"{e(resource)}\">Status JSON</a></p>");
        var ended = status.State is JobState.Completed or JobState.Failed or JobState.Cancelled;
        return HtmlPage.Result($"Segmentation {status.SegmentationId}", html.ToString(), ended ? 0 : RefreshSeconds);
    }

    private static string Describe(string stage) => stage switch
    {
        PipelineStages.Decode => "decode",
        PipelineStages.Resample => "resample",
        PipelineStages.Inference => "inference",
        PipelineStages.Postprocess => "post-processing",
        PipelineStages.Contour => "contours",
        _ => stage,
    };

    private static string Label(ResultFormat format) => format switch
    {
        ResultFormat.Seg => "DICOM Segmentation (BINARY)",
        ResultFormat.LabelMapSeg => "DICOM Segmentation (label map)",
        ResultFormat.Nifti => "Label volume (NIfTI, .nii.gz)",
        _ => ResultArtifacts.Name(format),
    };
}
