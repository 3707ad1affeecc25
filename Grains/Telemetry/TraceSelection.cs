using Microsoft.AspNetCore.Http;
using OpenTelemetry.Trace;

namespace InnerEye.Grains.Telemetry;

/// <summary>
/// What is traced. A trace starts only at an HTTP request or a job's own activity: the runtime's background calls
/// (timers, reminders, membership, the dashboard) start none, and everything under a traced parent is traced. Probes
/// and a job's status polls — the bulk of the requests, with nothing in them a metric does not count — are not traced.
/// </summary>
public static class TraceSelection
{
    public const string HttpRequestActivity = "Microsoft.AspNetCore.Hosting.HttpRequestIn";

    public static Sampler Sampler { get; } = new ParentBasedSampler(new RootSampler());

    /// <summary>Whether a request is traced (the ASP.NET Core instrumentation's filter).</summary>
    public static bool TracesRequest(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var request = context.Request;
        var path = request.Path;
        if (path.StartsWithSegments("/health") || path == "/" || path == "/ping" || path == "/api/ping" || path == "/v1/ping") return false;
        if (!HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method)) return true;
        return !IsStatusPoll(path.Value ?? "");
    }

    /// <summary><c>/api/v1/models/{m}/segmentation/{id}</c> and <c>/v1/model/results/{id}</c>.</summary>
    private static bool IsStatusPoll(string path)
    {
        var segments = path.Trim('/').Split('/');
        return segments is ["api", "v1", "models", _, "segmentation", _] or ["v1", "model", "results", _];
    }

    private sealed class RootSampler : Sampler
    {
        public override SamplingResult ShouldSample(in SamplingParameters samplingParameters) =>
            new(samplingParameters.Name is HttpRequestActivity or InnerEyeTracing.JobActivity ? SamplingDecision.RecordAndSample : SamplingDecision.Drop);
    }
}
