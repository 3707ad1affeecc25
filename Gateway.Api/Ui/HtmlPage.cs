using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;

namespace InnerEye.Gateway.Api.Ui;

/// <summary>
/// The shell of every <c>/ui</c> page: one self-contained HTML document with its CSS inline, no script and no
/// external asset, so that it works offline. Every value put into a page goes through <see cref="Encode"/>.
/// </summary>
public static class HtmlPage
{
    private const string Css = """
        body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;color:#1d2330;background:#f5f6f8}
        header{background:#1d2330;color:#fff;padding:.6rem 1.2rem}header a{color:#fff;text-decoration:none;font-weight:600}
        main{padding:1rem 1.2rem}h1{font-size:1.3rem;margin:.2rem 0 1rem}h2{font-size:1.05rem;margin:1.4rem 0 .5rem}
        table{border-collapse:collapse;background:#fff;box-shadow:0 1px 2px #0002}th,td{padding:.35rem .7rem;text-align:left;
        border-bottom:1px solid #e3e5ea;font-size:.9rem}th{background:#eceef2}code{font-size:.85rem}
        .state{display:inline-block;padding:.05rem .5rem;border-radius:.7rem;font-size:.8rem;background:#dde3ee}
        .state-completed{background:#cdebd4}.state-failed{background:#f4cfcf}.state-running{background:#d6e4fb}.state-cancelled{background:#e6e0d2}
        form.filters{margin-bottom:.8rem}form.filters label{margin-right:.8rem}nav.paging a{margin-right:1rem}
        ol.timeline{list-style:none;padding:0;border-left:3px solid #8aa1c7;margin-left:.5rem}
        ol.timeline li{padding:.2rem 0 .2rem .8rem}ol.timeline .at{color:#5b6372;font-size:.85rem;margin-left:.6rem}
        img.preview{image-rendering:pixelated;background:#000;width:100%;max-width:1200px;height:auto;border:1px solid #ccc}
        .note{color:#5b6372;font-size:.9rem}
        """;

    public static string Encode(string? value) => HtmlEncoder.Default.Encode(value ?? "");

    /// <summary>A time as the pages show it: UTC to the second.</summary>
    public static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);

    /// <param name="body">HTML whose values are already encoded.</param>
    /// <param name="refreshSeconds">Reload the page after this long (a job still in progress); 0 for never.</param>
    public static IResult Result(string title, string body, int refreshSeconds = 0, int status = StatusCodes.Status200OK)
    {
        var html = new StringBuilder()
            .Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
        if (refreshSeconds > 0) html.Append(CultureInfo.InvariantCulture, $"<meta http-equiv=\"refresh\" content=\"{refreshSeconds}\">");
        html.Append("<title>").Append(Encode(title)).Append(" · InnerEye</title><style>").Append(Css).Append("</style></head><body>")
            .Append("<header><a href=\"/ui\">InnerEye segmentations</a></header><main>")
            .Append("<h1>").Append(Encode(title)).Append("</h1>").Append(body).Append("</main></body></html>\n");
        return Results.Content(html.ToString(), "text/html; charset=utf-8", Encoding.UTF8, status);
    }

    public static string StateBadge(string state) => $"<span class=\"state state-{Encode(state)}\">{Encode(state)}</span>";
}
