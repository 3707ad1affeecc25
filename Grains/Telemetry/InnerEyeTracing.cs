using System.Diagnostics;

namespace InnerEye.Grains.Telemetry;

/// <summary>
/// The service's activity source. A job runs after the request that submitted it has returned, so the request's W3C
/// traceparent is kept with the job and its activities take it as their parent: the stages share the request's trace.
/// </summary>
public static class InnerEyeTracing
{
    public const string SourceName = "InnerEye";

    /// <summary>The activity of a job's run, the parent of its stages.</summary>
    public const string JobActivity = "segmentation job";

    public static ActivitySource Source { get; } = new(SourceName);

    /// <summary>The W3C traceparent of the current activity, to carry into work that runs later; null without one.</summary>
    public static string? CurrentTraceParent() =>
        Activity.Current is { IdFormat: ActivityIdFormat.W3C } current ? current.Id : null;

    /// <summary>Starts an activity under the kept <paramref name="traceParent"/> (or under the current activity when there is none).</summary>
    public static Activity? StartWithParent(string name, string? traceParent, ActivityKind kind = ActivityKind.Internal)
    {
        if (traceParent is not null && ActivityContext.TryParse(traceParent, null, out var parent))
            return Source.StartActivity(name, kind, parent);
        return Source.StartActivity(name, kind);
    }
}
