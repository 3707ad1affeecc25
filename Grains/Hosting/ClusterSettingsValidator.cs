using System.Net;
using Microsoft.Extensions.Options;

namespace InnerEye.Grains.Hosting;

/// <summary>Refuses a start with <c>Cluster</c> settings that cannot work, naming each setting.</summary>
public sealed class ClusterSettingsValidator : IValidateOptions<ClusterSettings>
{
    public ValidateOptionsResult Validate(string? name, ClusterSettings options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return ValidatedOptions.Result(Problems(options));
    }

    private static IEnumerable<string> Problems(ClusterSettings o)
    {
        const string s = ClusterSettings.Section;
        if (!Enum.IsDefined(o.Mode)) yield return $"{s}:Mode is '{o.Mode}'; expected Redis, or Localhost (the default).";
        if (o.UsesRedis && string.IsNullOrWhiteSpace(o.Redis)) yield return $"{s}:Mode is Redis but {s}:Redis (e.g. redis:6379) is not set.";
        if (o.SiloPort is < 1 or > 65535) yield return $"{s}:SiloPort is {o.SiloPort}; expected 1 to 65535.";
        if (o.GatewayPort is < 1 or > 65535) yield return $"{s}:GatewayPort is {o.GatewayPort}; expected 1 to 65535.";
        if (o.SiloPort == o.GatewayPort) yield return $"{s}:SiloPort and {s}:GatewayPort are both {o.SiloPort}; expected two different ports.";
        if (string.IsNullOrWhiteSpace(o.ServiceId)) yield return $"{s}:ServiceId (ORLEANS_SERVICE_ID) is empty.";
        if (string.IsNullOrWhiteSpace(o.ClusterId)) yield return $"{s}:ClusterId (ORLEANS_CLUSTER_ID) is empty.";
        if (o.AdvertisedIP is { Length: > 0 } ip && !IPAddress.TryParse(ip, out _))
            yield return $"{s}:AdvertisedIP (POD_IP) is '{ip}'; expected an IP address.";
    }
}
