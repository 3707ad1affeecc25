using System.Net;
using InnerEye.Grains.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;
using StackExchange.Redis;

namespace InnerEye.Grains.Hosting;

public static class ClusterHostingExtensions
{
    /// <summary>
    /// Joins the cluster <paramref name="cluster"/> describes. Redis: membership, the "jobs" grain storage and reminders
    /// in Redis, listening on every interface and advertising <see cref="ClusterSettings.AdvertisedAddress"/>.
    /// Localhost: a one-process cluster whose grain state and reminders are files under
    /// <paramref name="localStatePath"/>.
    /// </summary>
    public static ISiloBuilder UseInnerEyeCluster(this ISiloBuilder builder, ClusterSettings cluster, string localStatePath,
        StoragePermissions? permissions = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(cluster);
        // Liveness tuning (probe timeout, missed probes, votes) from Cluster:Membership, e.g. for quicker failure detection.
        builder.Services.AddValidatedOptions<ClusterMembershipOptions, ClusterMembershipOptionsValidator>(ClusterMembershipOptionsValidator.Section);
        // Grain calls carry the caller's activity, so a job's spans join the trace of the request that started it.
        builder.AddActivityPropagation();
        if (!cluster.UsesRedis)
        {
            builder.UseLocalhostClustering(cluster.SiloPort, cluster.GatewayPort);
            return builder.UseLocalDiskState(localStatePath, permissions);
        }
        builder.Configure<ClusterOptions>(o =>
        {
            o.ServiceId = cluster.ServiceId;
            o.ClusterId = cluster.ClusterId;
        });
        builder.Configure<EndpointOptions>(o =>
        {
            o.SiloPort = cluster.SiloPort;
            o.GatewayPort = cluster.GatewayPort;
            o.SiloListeningEndpoint = new IPEndPoint(IPAddress.Any, cluster.SiloPort);
            o.GatewayListeningEndpoint = new IPEndPoint(IPAddress.Any, cluster.GatewayPort);
            if (cluster.AdvertisedAddress is { } address) o.AdvertisedIPAddress = address;
        });
        if (cluster.SiloName is { } name) builder.Configure<SiloOptions>(o => o.SiloName = name);
        builder.UseRedisClustering(o => o.ConfigurationOptions = Redis(cluster));
        builder.AddRedisGrainStorage("jobs", o =>
        {
            o.ConfigurationOptions = Redis(cluster);
            o.DeleteStateOnClear = true;
        });
        builder.UseRedisReminderService(o => o.ConfigurationOptions = Redis(cluster));
        return builder;
    }

    /// <summary>An Orleans client of the Redis cluster (the front end in cluster mode).</summary>
    public static IClientBuilder UseInnerEyeCluster(this IClientBuilder builder, ClusterSettings cluster)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(cluster);
        if (!cluster.UsesRedis) throw new InvalidOperationException("An Orleans client needs Cluster:Mode = Redis.");
        builder.AddActivityPropagation();
        builder.Configure<ClusterOptions>(o =>
        {
            o.ServiceId = cluster.ServiceId;
            o.ClusterId = cluster.ClusterId;
        });
        return builder.UseRedisClustering(o => o.ConfigurationOptions = Redis(cluster));
    }

    private static ConfigurationOptions Redis(ClusterSettings cluster)
    {
        var options = ConfigurationOptions.Parse(cluster.Redis!);
        options.AbortOnConnectFail = false; // keep retrying while Redis starts or fails over
        return options;
    }
}
