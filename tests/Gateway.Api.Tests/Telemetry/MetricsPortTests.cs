using System.Globalization;
using System.Net;
using InnerEye.Gateway.Api.Tests.Support;

namespace InnerEye.Gateway.Api.Tests.Telemetry;

public sealed class MetricsPortTests
{
    [Theory]
    [InlineData("-1")]
    [InlineData("65536")]
    public async Task AMetricsPortOutOfRangeStopsTheStartNamingIt(string port)
    {
        await using var factory = new GatewayFactory(new Dictionary<string, string?> { ["Metrics:Port"] = port });
        var e = Assert.ThrowsAny<Exception>(() => factory.CreateClient());
        Assert.Contains("Metrics:Port", e.ToString(), StringComparison.Ordinal);
        Assert.Contains($"is {port}", e.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task MetricsAreServedOnTheirOwnPortWithoutTheSecretAndNotOnTheMainPort()
    {
        var metricsPort = FreePorts.Next();
        await using var factory = new KestrelGatewayFactory(new Dictionary<string, string?>
        {
            ["Metrics:Port"] = metricsPort.ToString(CultureInfo.InvariantCulture),
        });
        using var api = factory.AuthorizedSocketClient();
        var submit = await api.PostAsync("/v1/model/start/PassThroughModel:1729", new ByteArrayContent(Phantoms.Zip(seed: 41)));
        Assert.Equal(HttpStatusCode.Created, submit.StatusCode);

        // The main port: the secret is given, still no /metrics there.
        Assert.Equal(HttpStatusCode.NotFound, (await api.GetAsync("/metrics")).StatusCode);

        using var scraper = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{metricsPort}"), Timeout = TimeSpan.FromSeconds(30) };
        var response = await scraper.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(PrometheusText.Sum(text, "innereye_jobs_submitted_total", ("model", "PassThroughModel:1729")) >= 1, text);
        Assert.True(PrometheusText.Sum(text, "innereye_upload_bytes_total", ("client", "default")) > 0, text);
        Assert.Contains("orleans_", text, StringComparison.Ordinal);
        // The metrics port serves nothing else.
        Assert.Equal(HttpStatusCode.NotFound, (await scraper.GetAsync("/api/v1/models")).StatusCode);
    }
}
