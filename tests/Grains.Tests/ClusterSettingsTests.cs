using InnerEye.Grains.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace InnerEye.Grains.Tests;

/// <summary>The Cluster section, the pod's variables beside it, and when Orleans' Kubernetes hosting is used.</summary>
public sealed class ClusterSettingsTests
{
    private static IConfiguration Config(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();

    [SkippableFact]
    public void TheOrleansIdsWinAndThePodsNameAndAddressFillGaps()
    {
        var settings = ClusterSettings.FromConfiguration(Config(
            ("Cluster:Mode", "redis"), ("Cluster:Redis", "redis:6379"), ("Cluster:ServiceId", "section"), ("ORLEANS_SERVICE_ID", "variable"),
            ("POD_NAME", "silo-cpu-0"), ("POD_IP", "10.1.2.3"), ("Cluster:AdvertisedIP", "10.9.9.9")));
        Assert.Equal(ClusterMode.Redis, settings.Mode);
        Assert.Equal("variable", settings.ServiceId);
        Assert.Equal("innereye", settings.ClusterId);
        Assert.Equal("silo-cpu-0", settings.SiloName);
        Assert.Equal("10.9.9.9", settings.AdvertisedAddress!.ToString());
    }

    [SkippableFact]
    public void EveryProblemIsNamedAtOnce()
    {
        var e = Assert.Throws<OptionsValidationException>(() => ClusterSettings.FromConfiguration(Config(
            ("Cluster:Mode", "Redis"), ("Cluster:SiloPort", "70000"), ("Cluster:GatewayPort", "0"))));
        Assert.Contains(e.Failures, f => f.StartsWith("Cluster:Mode is Redis but Cluster:Redis", StringComparison.Ordinal));
        Assert.Contains(e.Failures, f => f.StartsWith("Cluster:SiloPort is 70000; expected 1 to 65535", StringComparison.Ordinal));
        Assert.Contains(e.Failures, f => f.StartsWith("Cluster:GatewayPort is 0; expected 1 to 65535", StringComparison.Ordinal));
    }

    [SkippableTheory]
    [InlineData("Redis", "10.0.0.1", "innereye", null, true)]
    [InlineData("Redis", "10.0.0.1", "innereye", "false", false)]
    [InlineData("Redis", null, "innereye", null, false)]
    [InlineData("Redis", "10.0.0.1", null, null, false)]
    [InlineData("Localhost", "10.0.0.1", "innereye", null, false)]
    public void KubernetesHostingRunsOnlyInAPodOfARedisCluster(string mode, string? apiServer, string? podNamespace, string? setting, bool expected)
    {
        var values = new List<(string, string)> { ("Cluster:Mode", mode), ("Cluster:Redis", "redis:6379") };
        if (apiServer is not null) values.Add(("KUBERNETES_SERVICE_HOST", apiServer));
        if (podNamespace is not null) values.Add(("POD_NAMESPACE", podNamespace));
        if (setting is not null) values.Add(("Cluster:KubernetesHosting", setting));
        var config = Config([.. values]);
        Assert.Equal(expected, ClusterSettings.FromConfiguration(config).UsesKubernetesHosting(config));
    }
}
