using System.Text.Json;
using InnerEye.Gateway.Api.Tests.Support;

namespace InnerEye.Gateway.Api.Tests;

public sealed class UploadTimeoutTests(ShortUploadTimeoutFactory factory) : IClassFixture<ShortUploadTimeoutFactory>
{
    [SkippableTheory]
    [InlineData("/v1/model/start/PassThroughModel")]
    [InlineData("/api/v1/models/PassThroughModel/segmentation")]
    public async Task AnUploadTricklingPastTheTimeoutIs408AndLeavesNothing(string path)
    {
        var headers = new Dictionary<string, string> { ["API_AUTH_SECRET"] = GatewayFactory.Secret, ["Content-Type"] = "application/zip" };
        var started = DateTime.UtcNow;
        var response = await RawHttp.TrickleAsync(factory.Address, path, headers, declaredLength: 10_000_000);
        Assert.Equal(408, response.Status);
        Assert.InRange(DateTime.UtcNow - started, TimeSpan.FromSeconds(1.5), TimeSpan.FromSeconds(30));
        var body = JsonDocument.Parse(response.Body).RootElement;
        Assert.Equal("REQUEST_TIMEOUT", body.GetProperty("code").GetString());
        Assert.Equal("UploadTimeout", body.GetProperty("title").GetString());
        Assert.Equal("close", response.Headers["Connection"]);

        var inputs = Path.Combine(factory.DataPath, "artifacts", "inputs");
        Assert.True(!Directory.Exists(inputs) || Directory.GetFiles(inputs).Length == 0, "a timed-out upload left a file");
    }
}
