using System.Net;
using Microsoft.Extensions.Configuration;

namespace InnerEye.Grains.Hosting;

/// <summary>
/// How a process joins the cluster, from configuration: <c>Cluster:Mode</c> (unset or <c>Localhost</c>: one
/// process on this machine; <c>Redis</c>: a real cluster with membership, grain state and reminders in Redis at
/// <c>Cluster:Redis</c>), the service and cluster ids (<c>ORLEANS_SERVICE_ID</c>, <c>ORLEANS_CLUSTER_ID</c>), the silo's
/// name and advertised address (<c>POD_NAME</c>, <c>POD_IP</c>, or <c>Cluster:SiloName</c>, <c>Cluster:AdvertisedIP</c>)
/// and its ports (<c>Cluster:SiloPort</c>, <c>Cluster:GatewayPort</c>). The section is not called <c>Orleans</c>: Orleans
/// reads that section itself, as provider settings by kind (<c>Orleans:Clustering</c> …), and would take ours for its own.
/// </summary>
public sealed record ClusterSettings
{
    public bool UsesRedis { get; init; }

    /// <summary>A StackExchange.Redis configuration string, e.g. <c>redis:6379</c>.</summary>
    public string? RedisConfiguration { get; init; }

    public string ServiceId { get; init; } = "innereye";

    public string ClusterId { get; init; } = "innereye";

    public string? SiloName { get; init; }

    public IPAddress? AdvertisedAddress { get; init; }

    public int SiloPort { get; init; } = 11111;

    public int GatewayPort { get; init; } = 30000;

    public static ClusterSettings FromConfiguration(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var clustering = configuration["Cluster:Mode"];
        var redis = clustering switch
        {
            null or "" => false,
            _ when clustering.Equals("Localhost", StringComparison.OrdinalIgnoreCase) => false,
            _ when clustering.Equals("Redis", StringComparison.OrdinalIgnoreCase) => true,
            _ => throw new InvalidOperationException($"Cluster:Mode is '{clustering}'; expected Redis, or Localhost (the default)."),
        };
        var connection = configuration["Cluster:Redis"];
        if (redis && string.IsNullOrWhiteSpace(connection))
            throw new InvalidOperationException("Cluster:Mode is Redis but Cluster:Redis (e.g. redis:6379) is not set.");
        var advertised = First(configuration["Cluster:AdvertisedIP"], configuration["POD_IP"]);
        return new ClusterSettings
        {
            UsesRedis = redis,
            RedisConfiguration = connection,
            ServiceId = First(configuration["ORLEANS_SERVICE_ID"], configuration["Cluster:ServiceId"]) ?? "innereye",
            ClusterId = First(configuration["ORLEANS_CLUSTER_ID"], configuration["Cluster:ClusterId"]) ?? "innereye",
            SiloName = First(configuration["Cluster:SiloName"], configuration["POD_NAME"]),
            AdvertisedAddress = advertised is null ? null
                : IPAddress.TryParse(advertised, out var ip) ? ip
                : throw new InvalidOperationException($"The advertised address '{advertised}' is not an IP address."),
            SiloPort = configuration.GetValue("Cluster:SiloPort", 11111),
            GatewayPort = configuration.GetValue("Cluster:GatewayPort", 30000),
        };
    }

    private static string? First(params string?[] values) => values.FirstOrDefault(v => !string.IsNullOrWhiteSpace(v));
}
