namespace InnerEye.Gateway.Api.Tests.Support;

/// <summary>Real sockets; uploads over 4 MiB are refused.</summary>
public sealed class EdgeFactory() : KestrelGatewayFactory(new Dictionary<string, string?>
    { ["Api:MaxUploadBytes"] = EdgeFactory.Limit.ToString(System.Globalization.CultureInfo.InvariantCulture) })
{
    public const int Limit = 4 << 20;
}

/// <summary>Real sockets; one replica that takes one job and queues none, busy for 3 s a stage.</summary>
public sealed class BusyEdgeFactory() : KestrelGatewayFactory(new Dictionary<string, string?>
{
    ["ModelGrain:MaxQueue"] = "0",
    ["ModelGrain:StagePause"] = "00:00:03",
    ["Api:RetryAfterSeconds"] = "7",
});

/// <summary>Real sockets; an upload has 2 s.</summary>
public sealed class ShortUploadTimeoutFactory() : KestrelGatewayFactory(new Dictionary<string, string?> { ["Api:UploadTimeout"] = "00:00:02" });

/// <summary>The test classes that share one <see cref="EdgeFactory"/> server.</summary>
[CollectionDefinition(Name)]
public sealed class EdgeCollection : ICollectionFixture<EdgeFactory>
{
    public const string Name = "edge";
}
