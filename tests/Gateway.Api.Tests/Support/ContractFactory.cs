namespace InnerEye.Gateway.Api.Tests.Support;

/// <summary>Jobs pause half a second at each stage, so a poll sees them running.</summary>
public sealed class ContractFactory() : GatewayFactory(new Dictionary<string, string?> { ["ModelGrain:StagePause"] = "00:00:00.500" });

/// <summary>Uploads over 4 KiB are refused.</summary>
public sealed class SmallUploadFactory() : GatewayFactory(new Dictionary<string, string?> { ["Api:MaxUploadBytes"] = "4096" });

/// <summary>One replica that takes one job and queues none; each stage pauses 3 s, so it stays busy.</summary>
public sealed class BusyFactory() : GatewayFactory(new Dictionary<string, string?>
{
    ["ModelGrain:MaxQueue"] = "0",
    ["ModelGrain:StagePause"] = "00:00:03",
    ["Api:RetryAfterSeconds"] = "7",
});
