using Microsoft.Extensions.Hosting;

namespace InnerEye.Grains.Hosting;

/// <summary>The settings that decide how a process of the service is built, read once and validated.</summary>
public sealed record InnerEyeHostSettings(SiloSettings Silo, ClusterSettings Cluster)
{
    public static InnerEyeHostSettings Read(IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return new InnerEyeHostSettings(SiloSettings.FromConfiguration(builder.Configuration, builder.Environment.ContentRootPath),
            ClusterSettings.FromConfiguration(builder.Configuration));
    }
}
