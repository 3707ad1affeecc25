using InnerEye.Imaging.Zip;

namespace InnerEye.Imaging.Series;

public sealed record SeriesLoadOptions
{
    public static readonly SeriesLoadOptions Default = new();

    /// <summary>A slice gap may differ from the median gap by at most this much (mm); RTConvert uses 0.1 mm.</summary>
    public double SliceGapTolerance { get; init; } = 0.1;

    /// <summary>
    /// Largest gantry tilt accepted (degrees): the angle between the line the slice positions step along and the slice
    /// normal. Steeper series are refused with <c>TiltTooLarge</c>.
    /// </summary>
    public double MaxTiltDegrees { get; init; } = 30;

    /// <summary>Direction cosines must be unit length and orthogonal to within this much.</summary>
    public double OrientationTolerance { get; init; } = 1e-3;

    /// <summary>
    /// Largest file (zip entry) accepted. Each decoding thread holds at most one such file (and, for a zip, its
    /// compressed bytes) at a time, so this bounds a load's working memory beside the volume.
    /// </summary>
    public long MaxEntryBytes { get; init; } = 64L << 20;

    public long MaxTotalBytes { get; init; } = 8L << 30;

    /// <summary>Threads that read and decode files at once.</summary>
    public int MaxDegreeOfParallelism { get; init; } = Environment.ProcessorCount;

    public ZipLimits Zip { get; init; } = ZipLimits.Default;
}
