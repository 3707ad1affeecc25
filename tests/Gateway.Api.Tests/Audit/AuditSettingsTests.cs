using InnerEye.Gateway.Api.Tests.Support;
using InnerEye.Grains.Audit;
using Microsoft.Extensions.Configuration;

namespace InnerEye.Gateway.Api.Tests.Audit;

/// <summary>The <c>Audit</c> section is checked at start: a bad value stops the start with a message naming the setting.</summary>
public sealed class AuditSettingsTests
{
    [Theory]
    [InlineData("Audit:HashKey", "too-short", "Audit:HashKey")]
    [InlineData("Audit:WriterName", "silo/one", "Audit:WriterName")]
    [InlineData("Audit:Stdout", "sometimes", "Audit:Stdout")]
    [InlineData("Audit:Stdot", "true", "Stdot")]
    public void ABadSettingIsNamed(string key, string value, string named)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [key] = value }).Build();
        var e = Assert.Throws<InvalidOperationException>(() => AuditOptions.FromConfiguration(configuration));
        Assert.Contains(named, e.Message, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task ABadHashKeyStopsTheServerStart()
    {
        await using var factory = new GatewayFactory(new Dictionary<string, string?> { ["Audit:HashKey"] = "short" });
        var e = Assert.ThrowsAny<Exception>(() => factory.CreateClient());
        Assert.Contains("Audit:HashKey", e.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void TheGeneratedKeyIsKeptOnceAndAConfiguredKeyWins()
    {
        using var dir = new InnerEye.Imaging.Tests.Support.TempDirectory();
        var folder = dir.Combine("audit");
        var first = InnerEye.Grains.Audit.StudyHasher.Load(null, folder, InnerEye.Grains.Storage.StoragePermissions.Default).Hash("1.2.3.4");
        Assert.Equal(first, StudyHasher.Load(null, folder, InnerEye.Grains.Storage.StoragePermissions.Default).Hash("1.2.3.4"));
        Assert.Matches("^[0-9a-f]{32}$", first);
        var configured = StudyHasher.Load(new string('k', 32), folder, InnerEye.Grains.Storage.StoragePermissions.Default).Hash("1.2.3.4");
        Assert.NotEqual(first, configured);
        Assert.Equal(configured, new StudyHasher(System.Text.Encoding.UTF8.GetBytes(new string('k', 32))).Hash("1.2.3.4"));
    }
}
