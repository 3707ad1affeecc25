using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using InnerEye.Gateway.Api.Tests.Support;

namespace InnerEye.Gateway.Api.Tests;

/// <summary>The /ui pages and the preview route without a browser: credentials, typed errors, a job not yet completed.</summary>
public sealed class UiRouteTests(SlowNetworkFactory factory) : IClassFixture<SlowNetworkFactory>
{
    private const string Model = "PassThroughModel";

    [SkippableFact]
    public async Task UiWithoutCredentialsIs401AskingForBasic()
    {
        var response = await factory.CreateClient().GetAsync("/ui");
        await HttpAssertions.AssertErrorAsync(response, 401, null, "application/problem+json");
        var challenge = Assert.Single(response.Headers.WwwAuthenticate);
        Assert.Equal("Basic", challenge.Scheme);
    }

    [SkippableFact]
    public async Task BasicCredentialsOpenTheListAndBadFiltersAre400()
    {
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"anyone:{GatewayFactory.Secret}")));
        var list = await client.GetAsync("/ui");
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        Assert.Equal("text/html", list.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<form class=\"filters\"", await list.Content.ReadAsStringAsync());
        foreach (var (query, parameter) in new[] { ("state=done", "state"), ("model=%3Cscript%3E", "model"), ("cursor=x", "cursor") })
        {
            var body = await HttpAssertions.AssertErrorAsync(await client.GetAsync($"/ui?{query}"), 400, parameter, "application/problem+json");
            Assert.Equal("InvalidQueryParameter", body.GetProperty("title").GetString());
        }
        var missing = await HttpAssertions.AssertErrorAsync(await client.GetAsync("/ui/jobs/0123456789abcdef"), 404, "InvalidRunId",
            "application/problem+json");
        Assert.Equal("SegmentationNotFound", missing.GetProperty("title").GetString());
    }

    [SkippableFact]
    public async Task PreviewIs404UntilTheJobCompletesAndThenAPng()
    {
        var client = factory.Authorized();
        var unknown = await client.GetAsync($"/api/v1/models/{Model}/segmentation/0123456789abcdef/preview.png");
        Assert.Equal("SegmentationNotFound", (await HttpAssertions.AssertErrorAsync(unknown, 404, "InvalidRunId", "application/problem+json"))
            .GetProperty("title").GetString());

        var submitted = await client.PostAsync($"/api/v1/models/{Model}/segmentation", new ByteArrayContent(Phantoms.Zip(seed: 41)));
        var id = JsonDocument.Parse(await submitted.Content.ReadAsStringAsync()).RootElement.GetProperty("segmentationId").GetString()!;
        var early = await client.GetAsync($"/api/v1/models/{Model}/segmentation/{id}/preview.png");
        Assert.Equal("PreviewUnavailable", (await HttpAssertions.AssertErrorAsync(early, 404, null, "application/problem+json"))
            .GetProperty("title").GetString());
        var page = await client.GetStringAsync($"/ui/jobs/{id}");
        Assert.Contains("id=\"no-preview\"", page);
        Assert.Contains("http-equiv=\"refresh\"", page);
        Assert.DoesNotContain("<img", page);

        await HttpAssertions.WaitForStatusAsync(client, Model, id, "completed");
        var preview = await client.GetAsync($"/api/v1/models/{Model}/segmentation/{id}/preview.png");
        Assert.Equal(HttpStatusCode.OK, preview.StatusCode);
        Assert.Equal("image/png", preview.Content.Headers.ContentType?.MediaType);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], (await preview.Content.ReadAsByteArrayAsync())[..4]);
        var done = await client.GetStringAsync($"/ui/jobs/{id}");
        Assert.Contains($"src=\"/api/v1/models/{Model}/segmentation/{id}/preview.png\"", done);
        Assert.DoesNotContain("http-equiv=\"refresh\"", done);
        Assert.DoesNotContain("Phantom^", done);
    }
}

/// <summary>Jobs hold the network stage for 3 s, so that a test sees them running.</summary>
public sealed class SlowNetworkFactory() : GatewayFactory(new Dictionary<string, string?> { ["ModelGrain:NetworkStageDelay"] = "00:00:03" });

/// <summary>A service whose preview is turned off.</summary>
public sealed class NoPreviewFactory() : GatewayFactory(new Dictionary<string, string?> { ["ModelGrain:Preview"] = "false" });

public sealed class PreviewSettingTests(NoPreviewFactory factory) : IClassFixture<NoPreviewFactory>
{
    [SkippableFact]
    public async Task WithPreviewOffACompletedJobHasNone()
    {
        var client = factory.Authorized();
        var submitted = await client.PostAsync("/api/v1/models/PassThroughModel/segmentation", new ByteArrayContent(Phantoms.Zip(seed: 42)));
        var id = JsonDocument.Parse(await submitted.Content.ReadAsStringAsync()).RootElement.GetProperty("segmentationId").GetString()!;
        await HttpAssertions.WaitForStatusAsync(client, "PassThroughModel", id, "completed");
        var preview = await client.GetAsync($"/api/v1/models/PassThroughModel/segmentation/{id}/preview.png");
        Assert.Equal("PreviewUnavailable", (await HttpAssertions.AssertErrorAsync(preview, 404, null, "application/problem+json"))
            .GetProperty("title").GetString());
        Assert.Empty(Directory.EnumerateFiles(factory.DataPath, "*.png", SearchOption.AllDirectories));
    }

    [SkippableTheory]
    [InlineData("10")]
    [InlineData("5000")]
    public async Task APanelSizeOutOfRangeStopsTheStart(string pixels)
    {
        await using var bad = new GatewayFactory(new Dictionary<string, string?> { ["ModelGrain:PreviewPanelPixels"] = pixels });
        var error = Assert.ThrowsAny<Exception>(() => bad.CreateClient());
        Assert.Contains("PreviewPanelPixels", error.ToString());
    }
}
