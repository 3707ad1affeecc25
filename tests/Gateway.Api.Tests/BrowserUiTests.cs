using System.Buffers.Binary;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using InnerEye.Gateway.Api.Tests.Support;
using InnerEye.Imaging.Tests.Support;
using Xunit.Abstractions;

namespace InnerEye.Gateway.Api.Tests;

/// <summary>
/// The web pages in a real browser (headless Chromium over the DevTools protocol) against the real server on a socket:
/// the job page's structure, its timeline and preview image, and the preview itself checked independently (decoded
/// with Python's standard library, its outlines mapped through the documented layout onto the job's NIfTI labels).
/// Screenshots are written to <c>screenshots/</c> beside the test assembly.
/// </summary>
[Trait("Category", "Browser")]
public sealed class BrowserUiTests(UiGatewayFactory factory, ITestOutputHelper output) : IClassFixture<UiGatewayFactory>
{
    private const string Model = "PassThroughModel";

    private const string JobPageProbe = """
        (() => {
          const img = document.getElementById('preview');
          return {
            title: document.title,
            job: document.getElementById('job')?.innerText ?? null,
            stages: [...document.querySelectorAll('#timeline li')].map(li => li.dataset.stage),
            image: img ? { complete: img.complete, width: img.naturalWidth, height: img.naturalHeight } : null,
            downloads: [...document.querySelectorAll('#downloads a')].map(a => a.getAttribute('href')),
            scripts: document.scripts.length,
            external: document.querySelectorAll('link[href], script[src], iframe').length,
          };
        })()
        """;

    [SkippableTheory]
    [InlineData("feet-first")]
    [InlineData("oblique")]
    public async Task JobPageShowsTheTimelineAndAPreviewWhoseOutlinesLieOnTheLabels(string kind)
    {
        HeadlessChromium.SkipUnlessInstalled();
        ExternalProcess.Available(ExternalProcess.Python);
        var client = factory.AuthorizedSocketClient();
        var id = await CompletedJobAsync(client, OrientedPhantoms.Zip(seed: 31, feetFirst: kind == "feet-first", oblique: kind == "oblique"));

        await using var browser = await HeadlessChromium.StartAsync();
        await browser.SetExtraHeadersAsync(BasicCredentials());
        await browser.NavigateAsync(new Uri(factory.Address, $"/ui/jobs/{id}"));
        var page = (await browser.EvaluateAsync(JobPageProbe))!.AsObject();
        await SaveScreenshotAsync(browser, $"ui-job-{kind}.png");

        Assert.Contains(id, page["title"]!.GetValue<string>());
        var job = page["job"]!.GetValue<string>();
        Assert.Contains(id, job);
        Assert.Contains(Model, job);
        Assert.Contains("completed", job);
        var stages = page["stages"]!.AsArray().Select(s => s!.GetValue<string>()).ToList();
        Assert.Equal("queued", stages[0]);
        Assert.Equal("completed", stages[^1]);
        Assert.Contains("inference", stages);
        Assert.Equal(0, page["scripts"]!.GetValue<int>());
        Assert.Equal(0, page["external"]!.GetValue<int>());
        var downloads = page["downloads"]!.AsArray().Select(a => a!.GetValue<string>()).ToList();
        Assert.Contains($"/api/v1/models/{Model}/segmentation/{id}/result?format=nifti", downloads);

        var preview = await client.GetAsync($"/api/v1/models/{Model}/segmentation/{id}/preview.png");
        Assert.Equal(HttpStatusCode.OK, preview.StatusCode);
        Assert.Equal("image/png", preview.Content.Headers.ContentType?.MediaType);
        var png = await preview.Content.ReadAsByteArrayAsync();
        var image = page["image"]!.AsObject();
        Assert.True(image["complete"]!.GetValue<bool>());
        Assert.Equal(PngSize(png), (image["width"]!.GetValue<int>(), image["height"]!.GetValue<int>()));

        var check = await CheckPreviewAsync(client, id, png);
        output.WriteLine($"{kind}: {check.ToJsonString()}");
        Assert.Equal(check["expectedWidth"]!.GetValue<int>(), check["width"]!.GetValue<int>());
        Assert.Equal(check["expectedHeight"]!.GetValue<int>(), check["height"]!.GetValue<int>());
        var coloured = check["colourPixels"]!.GetValue<int>();
        var onLabel = check["onLabel"]!.GetValue<int>();
        Assert.True(coloured > 100, $"{coloured} pixels in the structures' colours");
        Assert.True(onLabel >= 0.95 * coloured, $"{onLabel} of {coloured} outline pixels lie on their structure's label");
        Assert.True(check["greyPixels"]!.GetValue<int>() > 1000, "the image shows the CT");
    }

    [SkippableFact]
    public async Task ListShowsTheJobsNewestFirstAndLinksToTheirPages()
    {
        HeadlessChromium.SkipUnlessInstalled();
        var client = factory.AuthorizedSocketClient();
        var older = await CompletedJobAsync(client, Phantoms.Zip(seed: 33));
        var newer = await CompletedJobAsync(client, Phantoms.Zip(seed: 34));

        await using var browser = await HeadlessChromium.StartAsync();
        await browser.SetExtraHeadersAsync(BasicCredentials());
        await browser.NavigateAsync(new Uri(factory.Address, $"/ui?model={Model}&state=completed"));
        const string rows = """
            [...document.querySelectorAll('#jobs tbody tr.job')].map(tr => ({
              id: tr.dataset.id, cells: [...tr.cells].map(td => td.innerText.trim()), link: tr.querySelector('a').getAttribute('href') }))
            """;
        var listed = (await browser.EvaluateAsync(rows))!.AsArray().Select(r => r!.AsObject()).ToList();
        await SaveScreenshotAsync(browser, "ui-list.png");
        var ids = listed.Select(r => r["id"]!.GetValue<string>()).ToList();
        Assert.True(ids.IndexOf(newer) >= 0 && ids.IndexOf(newer) < ids.IndexOf(older), $"newest first: {string.Join(", ", ids)}");
        var row = listed.Single(r => r["id"]!.GetValue<string>() == newer);
        var cells = row["cells"]!.AsArray().Select(c => c!.GetValue<string>()).ToList();
        Assert.Equal([newer, "completed", Model], cells.Take(3));
        Assert.Equal("default", cells[^1]);
        Assert.Equal($"/ui/jobs/{newer}", row["link"]!.GetValue<string>());
        Assert.Equal(1, (await browser.EvaluateAsync("document.querySelectorAll('select[name=state] option[selected]').length"))!.GetValue<int>());

        await browser.NavigateAsync(new Uri(factory.Address, row["link"]!.GetValue<string>()));
        var page = (await browser.EvaluateAsync(JobPageProbe))!.AsObject();
        Assert.Contains(newer, page["job"]!.GetValue<string>());
        Assert.True(page["image"]!["complete"]!.GetValue<bool>());
        Assert.True(page["image"]!["width"]!.GetValue<int>() > 0);
    }

    /// <summary>Runs tests/tools/check_preview.py on the preview and the job's NIfTI labels.</summary>
    private static async Task<JsonObject> CheckPreviewAsync(HttpClient client, string id, byte[] png)
    {
        using var dir = new TempDirectory();
        var pngPath = dir.Combine("preview.png");
        var niftiPath = dir.Combine("labels.nii.gz");
        await File.WriteAllBytesAsync(pngPath, png);
        await File.WriteAllBytesAsync(niftiPath, await client.GetByteArrayAsync($"/api/v1/models/{Model}/segmentation/{id}/result?format=nifti"));
        var models = JsonNode.Parse(await client.GetStringAsync("/api/v1/models"))!.AsArray();
        var colours = models.Single(m => (string?)m!["id"] == Model)!["structures"]!.AsArray().Select(s => s!["color"]!.DeepClone());
        var (_, stdout, _) = ExternalProcess.RunPythonTool("check_preview.py", pngPath, niftiPath, new JsonArray([.. colours]).ToJsonString(), "512");
        return JsonNode.Parse(stdout)!.AsObject();
    }

    internal static async Task<string> CompletedJobAsync(HttpClient client, byte[] zip)
    {
        var response = await client.PostAsync($"/api/v1/models/{Model}/segmentation", new ByteArrayContent(zip));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var id = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("segmentationId").GetString()!;
        var done = await HttpAssertions.WaitForStatusAsync(client, Model, id, "completed", "failed", "cancelled");
        Assert.Equal("completed", done.GetProperty("status").GetString());
        return id;
    }

    internal static Dictionary<string, string> BasicCredentials() => new()
    {
        ["Authorization"] = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"browser:{GatewayFactory.Secret}")),
    };

    internal static async Task SaveScreenshotAsync(HeadlessChromium browser, string name)
    {
        var shot = await browser.ScreenshotAsync();
        var (width, height) = PngSize(shot);
        Assert.True(width >= 800 && height >= 300, $"screenshot {width}x{height}");
        var folder = Path.Combine(AppContext.BaseDirectory, "screenshots");
        Directory.CreateDirectory(folder);
        await File.WriteAllBytesAsync(Path.Combine(folder, name), shot);
    }

    internal static (int Width, int Height) PngSize(byte[] png)
    {
        Assert.Equal("IHDR", Encoding.ASCII.GetString(png, 12, 4));
        return (BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)), BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20)));
    }
}
