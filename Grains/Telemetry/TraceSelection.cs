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
        return TracesRequest(context.Request.Method, context.Request.Path.Value ?? "");
    }

    private static bool TracesRequest(string method, string path)
    {
        if (path is "/" or "/ping" or "/api/ping" or "/v1/ping" || path.StartsWith("/health", StringComparison.Ordinal)) return false;
        if (!HttpMethods.IsGet(method) && !HttpMethods.IsHead(method)) return true;
        // A job's status: /api/v1/models/{m}/segmentation/{id} and /v1/model/results/{id}.
        var segments = path.Trim('/').Split('/');
        return segments is not (["api", "v1", "models", _, "segmentation", _] or ["v1", "model", "results", _]);
    }

    /// <summary>
    /// Roots: requests and jobs. ASP.NET Core gives a request's method and path to the sampler, so an untraced request
    /// gets no activity at all; the filter above catches it where they are not given.
    /// </summary>
    private sealed class RootSampler : Sampler
    {
        public override SamplingResult ShouldSample(in SamplingParameters samplingParameters)
        {
            if (samplingParameters.Name == InnerEyeTracing.JobActivity) return new(SamplingDecision.RecordAndSample);
            if (samplingParameters.Name != HttpRequestActivity) return new(SamplingDecision.Drop);
            string? method = null, path = null;
            foreach (var (key, value) in samplingParameters.Tags ?? [])
            {
                if (key == "http.request.method") method = value as string;
                else if (key == "url.path") path = value as string;
            }
            return new(method is null || path is null || TracesRequest(method, path) ? SamplingDecision.RecordAndSample : SamplingDecision.Drop);
        }
    }
}
