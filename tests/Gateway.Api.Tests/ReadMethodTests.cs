using System.Net;
using InnerEye.Gateway.Api.Tests.Support;

namespace InnerEye.Gateway.Api.Tests;

/// <summary>HEAD answers wherever GET does, with GET's status and headers and no body; health routes only read.</summary>
[Collection(EdgeCollection.Name)]
public sealed class ReadMethodTests(EdgeFactory factory)
{
    private const string UnknownId = "0123456789abcdef0123456789abcdef";

    public static TheoryData<string> GetRoutes => new()
    {
        "/",
        "/ping",
        "/health/live",
        "/health/ready",
        "/health/startup",
        "/v1/ping",
        "/api/ping",
        "/api/v1/models",
        $"/v1/model/results/{UnknownId}",
        $"/api/v1/models/PassThroughModel/segmentation/{UnknownId}",
        $"/api/v1/models/PassThroughModel/segmentation/{UnknownId}/result",
        "/openapi/v1.json",
        "/dashboard/",
    };

    [SkippableTheory]
    [MemberData(nameof(GetRoutes))]
    public async Task HeadAnswersAsGetWithoutABody(string path)
    {
        await AssertHeadMatchesGetAsync(factory.AuthorizedSocketClient(), path);
    }

    [SkippableFact]
    public async Task HeadOfAJobsStatusAndResultMatchesGet()
    {
        var client = factory.AuthorizedSocketClient();
        var start = await client.PostAsync("/v1/model/start/PassThroughModel", new ByteArrayContent(Phantoms.Zip()));
        Assert.Equal(HttpStatusCode.Created, start.StatusCode);
        var id = await start.Content.ReadAsStringAsync();
        await HttpAssertions.WaitForStatusAsync(client, "PassThroughModel", id, "completed");
        await AssertHeadMatchesGetAsync(client, $"/v1/model/results/{id}");
        await AssertHeadMatchesGetAsync(client, $"/api/v1/models/PassThroughModel/segmentation/{id}");
        await AssertHeadMatchesGetAsync(client, $"/api/v1/models/PassThroughModel/segmentation/{id}/result");
    }

    [SkippableTheory]
    [InlineData("POST", "/health/live")]
    [InlineData("PUT", "/health/ready")]
    [InlineData("DELETE", "/health/startup")]
    [InlineData("PATCH", "/health/live")]
    public async Task HealthRoutesRefuseAnyMethodButGetAndHead(string method, string path)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = new StringContent("{}") };
        var response = await factory.AuthorizedSocketClient().SendAsync(request);
        var body = await HttpAssertions.AssertErrorAsync(response, 405, null, "application/problem+json");
        Assert.Equal("METHOD_NOT_ALLOWED", body.GetProperty("code").GetString());
        Assert.Equal(["GET", "HEAD"], response.Content.Headers.Allow.Order(StringComparer.Ordinal));
    }

    [SkippableTheory]
    [InlineData("POST", "/")]
    [InlineData("DELETE", "/ping")]
    [InlineData("PUT", "/health/live")]
    public async Task ProbesAnswerOtherMethodsWith405EvenWithoutTheSecret(string method, string path)
    {
        using var client = new HttpClient { BaseAddress = factory.Address };
        using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = new StringContent("{}") };
        var response = await client.SendAsync(request);
        await HttpAssertions.AssertErrorAsync(response, 405, null, "application/problem+json");
        Assert.Contains("GET", response.Content.Headers.Allow);
    }

    private static async Task AssertHeadMatchesGetAsync(HttpClient client, string path)
    {
        var get = await client.GetAsync(path);
        var getBody = await get.Content.ReadAsByteArrayAsync();
        using var request = new HttpRequestMessage(HttpMethod.Head, path);
        var head = await client.SendAsync(request);
        Assert.True(get.StatusCode == head.StatusCode, $"{path}: GET {get.StatusCode}, HEAD {head.StatusCode}");
        Assert.Equal(get.Content.Headers.ContentType?.ToString(), head.Content.Headers.ContentType?.ToString());
        Assert.Equal(get.Content.Headers.ContentLength ?? getBody.Length, head.Content.Headers.ContentLength ?? getBody.Length);
        Assert.Empty(await head.Content.ReadAsByteArrayAsync());
    }
}
