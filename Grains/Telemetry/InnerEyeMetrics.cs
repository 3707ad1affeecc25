using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace InnerEye.Grains.Telemetry;

/// <summary>
/// The service's own instruments, on the <see cref="MeterName"/> meter: jobs by outcome, stage durations, replica
/// queues, upload bytes and DICOMweb deliveries. Static, like the meter, so that grains and routes record without
/// plumbing; every process's meter provider listens to it.
/// </summary>
public static class InnerEyeMetrics
{
    public const string MeterName = "InnerEye";

    private static readonly Meter Meter = new(MeterName);
    private static readonly ConcurrentDictionary<string, ReplicaGauge> Replicas = new(StringComparer.Ordinal);

    private static readonly Counter<long> Submitted = Meter.CreateCounter<long>("innereye.jobs.submitted", "{job}", "Jobs accepted.");
    private static readonly Counter<long> Completed = Meter.CreateCounter<long>("innereye.jobs.completed", "{job}", "Jobs that completed.");
    private static readonly Counter<long> Failed = Meter.CreateCounter<long>("innereye.jobs.failed", "{job}", "Jobs that failed, by failure code.");
    private static readonly Counter<long> Cancelled = Meter.CreateCounter<long>("innereye.jobs.cancelled", "{job}", "Jobs cancelled.");

    private static readonly Histogram<double> StageDuration = Meter.CreateHistogram<double>("innereye.job.stage.duration", "s",
        "Time of each stage of a job (queue, decode, resample, inference, postprocess, contour, write).",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600] });

    private static readonly Counter<long> UploadBytes = Meter.CreateCounter<long>("innereye.upload.bytes", "By",
        "Bytes received in uploads (zip and STOW-RS), by client.");

    private static readonly Counter<long> DeliveryAttempts = Meter.CreateCounter<long>("innereye.delivery.attempts", "{attempt}",
        "DICOMweb delivery attempts, by destination and outcome.");

    static InnerEyeMetrics()
    {
        Meter.CreateObservableGauge("innereye.replica.queue", () => Observe(r => r.Waiting()), "{job}",
            "Jobs waiting at a model replica (decoding included).");
        Meter.CreateObservableGauge("innereye.replica.running", () => Observe(r => r.Running()), "{job}",
            "Jobs in a model replica's network stage.");
    }

    public static void JobSubmitted(string model) => Submitted.Add(1, new KeyValuePair<string, object?>("model", model));

    public static void JobCompleted(string model) => Completed.Add(1, new KeyValuePair<string, object?>("model", model));

    public static void JobFailed(string model, string code) =>
        Failed.Add(1, new KeyValuePair<string, object?>("model", model), new KeyValuePair<string, object?>("code", code));

    public static void JobCancelled(string model) => Cancelled.Add(1, new KeyValuePair<string, object?>("model", model));

    public static void StageTime(string model, string stage, TimeSpan duration) =>
        StageDuration.Record(duration.TotalSeconds, new KeyValuePair<string, object?>("model", model),
            new KeyValuePair<string, object?>("stage", stage));

    public static void Uploaded(string? client, long bytes) =>
        UploadBytes.Add(bytes, new KeyValuePair<string, object?>("client", client ?? "unknown"));

    public static void DeliveryAttempt(string destination, string outcome) =>
        DeliveryAttempts.Add(1, new KeyValuePair<string, object?>("destination", destination), new KeyValuePair<string, object?>("outcome", outcome));

    /// <summary>Lists a model replica (key <c>&lt;model&gt;/&lt;replica&gt;</c>) in the queue gauges until the returned handle is disposed.</summary>
    public static IDisposable TrackReplica(string key, Func<int> waiting, Func<int> running)
    {
        var slash = key.LastIndexOf('/');
        var gauge = new ReplicaGauge(slash < 0 ? key : key[..slash], slash < 0 ? "0" : key[(slash + 1)..], waiting, running);
        Replicas[key] = gauge;
        return new Untrack(key, gauge);
    }

    private static IEnumerable<Measurement<int>> Observe(Func<ReplicaGauge, int> value) =>
        Replicas.Values.Select(r => new Measurement<int>(value(r), new KeyValuePair<string, object?>("model", r.Model),
            new KeyValuePair<string, object?>("replica", r.Replica))).ToList();

    private sealed record ReplicaGauge(string Model, string Replica, Func<int> Waiting, Func<int> Running);

    private sealed class Untrack(string key, ReplicaGauge gauge) : IDisposable
    {
        public void Dispose() => Replicas.TryRemove(new KeyValuePair<string, ReplicaGauge>(key, gauge));
    }
}
