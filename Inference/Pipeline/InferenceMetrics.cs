using System.Diagnostics.Metrics;

namespace InnerEye.Inference;

/// <summary>The pipeline's own instrument: the network's run time per patch batch, by model.</summary>
public static class InferenceMetrics
{
    public const string MeterName = "InnerEye.Inference";

    private static readonly Meter Meter = new(MeterName);

    private static readonly Histogram<double> NetworkRun = Meter.CreateHistogram<double>("innereye.inference.network.duration", "s",
        "Time the network takes for one patch batch.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] });

    internal static void NetworkRan(string model, TimeSpan duration) =>
        NetworkRun.Record(duration.TotalSeconds, new KeyValuePair<string, object?>("model", model));
}
