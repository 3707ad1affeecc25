namespace InnerEye.Gateway.Api.Hosting;

/// <summary>How the front end reaches the cluster, from <c>Orleans:Clustering</c>.</summary>
public enum ServiceMode
{
    /// <summary>No cluster configured: a silo runs in this process (localhost clustering, local disk).</summary>
    Embedded,
}

public static class ServiceModes
{
    public static ServiceMode From(IConfiguration config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return config["Orleans:Clustering"] switch
        {
            null or "" or "Localhost" or "localhost" => ServiceMode.Embedded,
            var other => throw new InvalidOperationException($"Orleans:Clustering '{other}' is not supported; leave it unset for the embedded service."),
        };
    }
}
