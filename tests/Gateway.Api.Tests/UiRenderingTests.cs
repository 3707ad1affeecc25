using InnerEye.Gateway.Api.Jobs;
using InnerEye.Gateway.Api.Ui;
using InnerEye.Grains;
using InnerEye.Inference;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace InnerEye.Gateway.Api.Tests;

/// <summary>What the /ui pages are made of: encoded values, no script, no external asset, paging links.</summary>
public sealed class UiRenderingTests
{
    private const string Hostile = "<script>alert('x')</script>\"&";

    [SkippableFact]
    public void EveryValueIsHtmlEncodedAndThePageIsSelfContained()
    {
        var at = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);
        var jobs = new JobListPage([new JobListItem("0123abcd", "PassThroughModel", "running", Hostile, 40, Hostile, at, at, null)], Next: "Zm9v");
        var html = Html(JobListView.Render(jobs, [], null, null, null));
        Assert.DoesNotContain("<script", html);
        Assert.Contains("&lt;script&gt;", html);
        Assert.DoesNotContain(" src=", html);
        Assert.DoesNotContain("<link", html);
        Assert.Contains("2026-01-02 03:04:05 UTC", html);
        Assert.Contains("href=\"/ui?cursor=Zm9v\"", html);
        Assert.DoesNotContain("rel=\"first\"", html);
    }

    [SkippableFact]
    public void AJobPageShowsItsTimelineWithDurationsAndNoErrorDetail()
    {
        var at = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);
        var status = new SegmentationStatus("0123abcd", "PassThroughModel:1729", JobState.Failed, null, 0, "MissingSlices",
            "Slices missing between ct/Doe^John/3 and ct/Doe^John/5.", at, at.AddSeconds(3), null,
            [new StageTime("queued", at), new StageTime(PipelineStages.Decode, at.AddSeconds(1.5)), new StageTime("failed", at.AddSeconds(3))]);
        var html = Html(JobPage.Render(status, [], hasPreview: false));
        Assert.Contains("<li data-stage=\"queued\">", html);
        Assert.Contains("1.5 s", html);
        Assert.Contains("<code>MissingSlices</code>", html);
        Assert.DoesNotContain("Doe", html);
        Assert.DoesNotContain("<img", html);
        Assert.DoesNotContain("id=\"downloads\"", html);
        Assert.DoesNotContain("http-equiv=\"refresh\"", html);
    }

    private static string Html(IResult result) => Assert.IsType<ContentHttpResult>(result).ResponseContent!;
}
