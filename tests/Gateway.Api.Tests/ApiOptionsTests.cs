using InnerEye.Gateway.Api.Tests.Support;

namespace InnerEye.Gateway.Api.Tests;

public sealed class ApiOptionsTests
{
    [SkippableTheory]
    [InlineData("Api:UploadTimeout", "00:00:00")]
    [InlineData("Api:UploadTimeout", "ten minutes")]
    [InlineData("Api:MaxUploadBytes", "0")]
    [InlineData("Api:MinUploadBytesPerSecond", "-1")]
    [InlineData("Api:DrainTimeout", "-00:00:01")]
    [InlineData("Api:MaxDrainBytes", "-1")]
    public async Task AWrongSettingStopsTheStartNamingIt(string setting, string value)
    {
        await using var factory = new GatewayFactory(new Dictionary<string, string?> { [setting] = value });
        var e = Assert.ThrowsAny<Exception>(() => factory.CreateClient());
        Assert.Contains(setting, e.ToString(), StringComparison.Ordinal);
    }
}
