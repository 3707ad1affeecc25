using System.Diagnostics;

namespace InnerEye.Inference;

/// <summary>
/// Counts the patches a predictor runs and the time spent in the network alone; each call (one patch batch) is also
/// recorded in <see cref="InferenceMetrics"/> under <paramref name="model"/>.
/// </summary>
internal sealed class TimedPredictor(IPatchPredictor inner, string model) : IPatchPredictor
{
    private long _ticks;
    private int _patches;

    public TimeSpan Elapsed => Stopwatch.GetElapsedTime(0, Interlocked.Read(ref _ticks));

    public int Patches => _patches;

    /// <summary>The input shape of the last patch run.</summary>
    public long[] Shape { get; private set; } = [];

    public IPatchResult Predict(Memory<float> input, long[] shape, CancellationToken cancellationToken)
    {
        Shape = shape;
        var start = Stopwatch.GetTimestamp();
        try
        {
            return inner.Predict(input, shape, cancellationToken);
        }
        finally
        {
            var ticks = Stopwatch.GetTimestamp() - start;
            Interlocked.Add(ref _ticks, ticks);
            InferenceMetrics.NetworkRan(model, Stopwatch.GetElapsedTime(0, ticks));
            Interlocked.Increment(ref _patches);
        }
    }
}
