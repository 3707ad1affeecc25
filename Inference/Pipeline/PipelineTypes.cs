using InnerEye.Imaging.Series;

namespace InnerEye.Inference;

/// <summary>The names of the stages progress is reported for, in order.</summary>
public static class PipelineStages
{
    /// <summary>Reading and decoding the upload; reported by the caller, before the pipeline runs.</summary>
    public const string Decode = "decode";
    public const string Resample = "resample";
    public const string Inference = "inference";
    public const string Postprocess = "postprocess";
    public const string Contour = "contour";
}

/// <summary>How far a stage has got, 0 to 100.</summary>
public sealed record PipelineProgress(string Stage, int Percent);

/// <summary>Wall-clock time of each stage. <see cref="Inference"/> includes mapping the posteriors back onto the source grid.</summary>
public sealed record StageTimings(TimeSpan Resample, TimeSpan Inference, TimeSpan Postprocess)
{
    public TimeSpan Total => Resample + Inference + Postprocess;

    /// <summary>The part of <see cref="Inference"/> spent running the network, over <see cref="Patches"/> patches.</summary>
    public TimeSpan Network { get; init; }

    public int Patches { get; init; }

    /// <summary>The network's input shape, [1, C, Z, Y, X].</summary>
    public long[] PatchShape { get; init; } = [];
}

/// <summary>
/// A segmentation: <see cref="Labels"/> on <see cref="Reference"/>'s grid (x fastest, slices in the loaded volume's
/// order), 0 for background and i for the model's structure i − 1.
/// </summary>
public sealed record SegmentationResult(byte[] Labels, LoadedSeries Reference, StageTimings Timings)
{
    /// <summary>Where the network ran.</summary>
    public InferenceDevice Device { get; init; }

    /// <summary>
    /// With a sigmoid (regions) model: one mask per structure on the same grid, which may overlap; <see cref="Labels"/>
    /// then holds the last present region of each voxel.
    /// </summary>
    public IReadOnlyList<bool[]>? RegionMasks { get; init; }

    /// <summary>The class probabilities on the source grid, one array per output channel, when the options asked to keep them.</summary>
    public float[][]? Probabilities { get; init; }
}

public sealed record PipelineOptions
{
    public static PipelineOptions Default { get; } = new();

    /// <summary>
    /// The most memory the model-grid posterior accumulators may take; above it the volume is processed in z-slabs
    /// (with the same result).
    /// </summary>
    public long MaxAccumulatorBytes { get; init; } = SlidingWindowInference.DefaultMaxAccumulatorBytes;

    /// <summary>Keep the class probabilities on the source grid in the result (voxel-grid models).</summary>
    public bool KeepProbabilities { get; init; }
}
