using System.Net;
using Microsoft.Extensions.Configuration;

namespace InnerEye.Grains.Hosting;

/// <summary>How a process finds the rest of the cluster.</summary>
public enum ClusterMode
{
    /// <summary>One process on this machine; grain state and reminders on local disk.</summary>
    Localhost,

    /// <summary>A real cluster: membership, grain state and reminders in Redis at <see cref="ClusterSettings.Redis"/>.</summary>
    Redis,
}

/// <summary>
/// How a process joins the cluster (configuration section <c>Cluster</c>): <c>Cluster:Mode</c>, the Redis configuration
/// string (<c>Cluster:Redis</c>), the service and cluster ids (<c>ORLEANS_SERVICE_ID</c>, <c>ORLEANS_CLUSTER_ID</c> or
/// <c>Cluster:ServiceId</c>, <c>Cluster:ClusterId</c>), the silo's name and advertised address (<c>Cluster:SiloName</c>,
/// <c>Cluster:AdvertisedIP</c>, or <c>POD_NAME</c>, <c>POD_IP</c>) and its ports. The section is not called
/// <c>Orleans</c>: Orleans reads that section itself, as provider settings by kind, and would take ours for its own.
/// </summary>
public sealed class ClusterSettings
{
    public const string Section = "Cluster";

    public ClusterMode Mode { get; set; } = ClusterMode.Localhost;

    /// <summary>A StackExchange.Redis configuration string, e.g. <c>redis:6379</c>.</summary>
    public string? Redis { get; set; }

    public string ServiceId { get; set; } = "innereye";

    public string ClusterId { get; set; } = "innereye";

    public string? SiloName { get; set; }

    public string? AdvertisedIP { get; set; }

    public int SiloPort { get; set; } = 11111;

    public int GatewayPort { get; set; } = 30000;

    /// <summary>
    /// In a Kubernetes pod of a Redis cluster, use Orleans' Kubernetes hosting (<c>UseKubernetesHosting</c>): it watches
    /// the silo pods, declares the silos of deleted pods dead and deletes the pods of silos the cluster declared dead.
    /// </summary>
    public bool KubernetesHosting { get; set; } = true;

    public bool UsesRedis => Mode == ClusterMode.Redis;

    /// <summary>
    /// Whether this silo runs Orleans' Kubernetes hosting: a Redis cluster, <see cref="KubernetesHosting"/> on, and a pod
    /// (<c>KUBERNETES_SERVICE_HOST</c>, set by the kubelet) that was given its namespace (<c>POD_NAMESPACE</c>).
    /// </summary>
    public bool UsesKubernetesHosting(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return UsesRedis && KubernetesHosting && !string.IsNullOrEmpty(configuration["KUBERNETES_SERVICE_HOST"])
            && !string.IsNullOrEmpty(configuration["POD_NAMESPACE"]);
    }

    public IPAddress? AdvertisedAddress => AdvertisedIP is { Length: > 0 } ip && IPAddress.TryParse(ip, out var address) ? address : null;

    /// <summary>
    /// The <c>Cluster</c> section, with the ids and the pod's name and address from the variables Kubernetes and the
    /// Orleans conventions set where the section leaves them out, validated by <see cref="ClusterSettingsValidator"/>.
    /// </summary>
    public static ClusterSettings FromConfiguration(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var settings = new ClusterSettings();
        configuration.GetSection(Section).Bind(settings);
        settings.ApplyEnvironment(configuration);
        return ValidatedOptions.Check(settings, new ClusterSettingsValidator());
    }

    /// <summary><c>ORLEANS_SERVICE_ID</c> and <c>ORLEANS_CLUSTER_ID</c> win over the section; <c>POD_NAME</c> and <c>POD_IP</c> fill gaps.</summary>
    public void ApplyEnvironment(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        if (configuration["ORLEANS_SERVICE_ID"] is { Length: > 0 } service) ServiceId = service;
        if (configuration["ORLEANS_CLUSTER_ID"] is { Length: > 0 } cluster) ClusterId = cluster;
        if (string.IsNullOrWhiteSpace(SiloName) && configuration["POD_NAME"] is { Length: > 0 } pod) SiloName = pod;
        if (string.IsNullOrWhiteSpace(AdvertisedIP) && configuration["POD_IP"] is { Length: > 0 } ip) AdvertisedIP = ip;
    }
}
