using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using InnerEye.Gateway.Api.Tests.Support;

namespace InnerEye.Gateway.Api.Tests;

public sealed class AuthTests(ContractFactory factory) : IClassFixture<ContractFactory>
{
    public static TheoryData<string, string> ProtectedRoutes => new()
    {
        { "GET", "/v1/ping" },
        { "POST", "/v1/model/start/PassThroughModel:1729" },
        { "GET", "/v1/model/results/0123456789abcdef0123456789abcdef" },
        { "GET", "/api/ping" },
        { "GET", "/api/v1/models" },
        { "POST", "/api/v1/models/PassThroughModel/segmentation" },
        { "GET", "/api/v1/models/PassThroughModel/segmentation/0123456789abcdef0123456789abcdef" },
        { "GET", "/api/v1/models/PassThroughModel/segmentation/0123456789abcdef0123456789abcdef/result" },
        { "DELETE", "/api/v1/models/PassThroughModel/segmentation/0123456789abcdef0123456789abcdef" },
        { "GET", "/dashboard/" },
        { "GET", "/openapi/v1.json" },
    };

    [SkippableTheory]
    [MemberData(nameof(ProtectedRoutes))]
    public async Task MissingSecretIs401AndAWrongOneIs403(string method, string path)
    {
        var client = factory.CreateClient();
        var mediaType = path.StartsWith("/v1", StringComparison.Ordinal) ? "application/json" : "application/problem+json";

        using var missing = new HttpRequestMessage(new HttpMethod(method), path) { Content = new ByteArrayContent(Phantoms.Zip()) };
        var body = await HttpAssertions.AssertErrorAsync(await client.SendAsync(missing), 401, null, mediaType);
        Assert.Equal("UNAUTHORIZED", body.GetProperty("code").GetString());

        using var wrong = new HttpRequestMessage(new HttpMethod(method), path) { Content = new ByteArrayContent(Phantoms.Zip()) };
        wrong.Headers.Add("API_AUTH_SECRET", GatewayFactory.Secret + "x");
        body = await HttpAssertions.AssertErrorAsync(await client.SendAsync(wrong), 403, null, mediaType);
        Assert.Equal("FORBIDDEN", body.GetProperty("code").GetString());

        using var right = new HttpRequestMessage(new HttpMethod(method), path) { Content = new ByteArrayContent(Phantoms.Zip()) };
        right.Headers.Add("API_AUTH_SECRET", GatewayFactory.Secret);
        var response = await client.SendAsync(right);
        Assert.True(response.StatusCode is not (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden), $"{response.StatusCode}");
    }

    [SkippableTheory]
    [InlineData("/")]
    [InlineData("/ping")]
    [InlineData("/health/live")]
    [InlineData("/health/ready")]
    [InlineData("/health/startup")]
    public async Task ProbesNeedNoSecret(string path)
    {
        var response = await factory.CreateClient().GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [SkippableFact]
    public async Task RootAnswersHealthyAsTheAppServiceProbeExpects()
    {
        var response = await factory.CreateClient().GetAsync("/");
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("Healthy", body.GetProperty("status").GetString());
    }

    [SkippableFact]
    public async Task TheDashboardAsksBrowsersForTheSecretAsABasicPassword()
    {
        var client = factory.CreateClient();
        var challenge = await client.GetAsync("/dashboard/");
        Assert.Equal(HttpStatusCode.Unauthorized, challenge.StatusCode);
        Assert.Contains(challenge.Headers.WwwAuthenticate, h => h.Scheme == "Basic");

        using var request = new HttpRequestMessage(HttpMethod.Get, "/dashboard/");
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes("operator:" + GatewayFactory.Secret)));
        var page = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("html", (await page.Content.ReadAsStringAsync()).ToLowerInvariant());
    }

    [SkippableFact]
    public async Task TheOpenApiDocumentListsBothRouteFamilies()
    {
        var doc = JsonDocument.Parse(await factory.Authorized().GetStringAsync("/openapi/v1.json")).RootElement;
        var paths = doc.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Contains("/v1/model/start/{modelId}", paths);
        Assert.Contains("/v1/model/results/{runId}", paths);
        Assert.Contains("/api/v1/models/{modelId}/segmentation", paths);
        Assert.Contains("/api/v1/models/{modelId}/segmentation/{segmentationId}/result", paths);
    }
}
