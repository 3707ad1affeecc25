using Microsoft.Extensions.Logging;

namespace InnerEye.Grains.Telemetry;

/// <summary>
/// The scopes log lines are written in. A job's lines carry its segmentation id as <c>SegmentationId</c> (for the
/// providers that record scopes: JSON console, OpenTelemetry); patient data never goes into a scope or a message.
/// </summary>
public static class LogScopes
{
    private static readonly Func<ILogger, string, IDisposable?> SegmentationScope =
        LoggerMessage.DefineScope<string>("Segmentation {SegmentationId}");

    public static IDisposable? Segmentation(ILogger logger, string segmentationId) => SegmentationScope(logger, segmentationId);
}
