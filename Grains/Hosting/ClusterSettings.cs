using System.Net;
using Microsoft.Extensions.Configuration;

namespace InnerEye.Grains.Hosting;

/// <summary>
/// How a process joins the cluster, from configuration: <c>Orleans:Clustering</c> (unset or <c>Localhost</c>: one
/// process on this machine; <c>Redis</c>: a real cluster with membership, grain state and reminders in Redis at
/// <c>Orleans:Redis</c>), the service and cluster ids (<c>ORLEANS_SERVICE_ID</c>, <c>ORLEANS_CLUSTER_ID</c>), the silo's
/// name and advertised address (<c>POD_NAME</c>, <c>POD_IP</c>, or <c>Orleans:SiloName</c>, <c>Orleans:AdvertisedIP</c>)
/// and its ports (<c>Orleans:SiloPort</c>, <c>Orleans:GatewayPort</c>).
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
        var clustering = configuration["Orleans:Clustering"];
        var redis = clustering switch
        {
            null or "" => false,
            _ when clustering.Equals("Localhost", StringComparison.OrdinalIgnoreCase) => false,
            _ when clustering.Equals("Redis", StringComparison.OrdinalIgnoreCase) => true,
            _ => throw new InvalidOperationException($"Orleans:Clustering is '{clustering}'; expected Redis, or Localhost (the default)."),
        };
        var connection = configuration["Orleans:Redis"];
        if (redis && string.IsNullOrWhiteSpace(connection))
            throw new InvalidOperationException("Orleans:Clustering is Redis but Orleans:Redis (e.g. redis:6379) is not set.");
        var advertised = First(configuration["Orleans:AdvertisedIP"], configuration["POD_IP"]);
        return new ClusterSettings
        {
            UsesRedis = redis,
            RedisConfiguration = connection,
            ServiceId = First(configuration["ORLEANS_SERVICE_ID"], configuration["Orleans:ServiceId"]) ?? "innereye",
            ClusterId = First(configuration["ORLEANS_CLUSTER_ID"], configuration["Orleans:ClusterId"]) ?? "innereye",
            SiloName = First(configuration["Orleans:SiloName"], configuration["POD_NAME"]),
            AdvertisedAddress = advertised is null ? null
                : IPAddress.TryParse(advertised, out var ip) ? ip
                : throw new InvalidOperationException($"The advertised address '{advertised}' is not an IP address."),
            SiloPort = configuration.GetValue("Orleans:SiloPort", 11111),
            GatewayPort = configuration.GetValue("Orleans:GatewayPort", 30000),
        };
    }

    private static string? First(params string?[] values) => values.FirstOrDefault(v => !string.IsNullOrWhiteSpace(v));
}
