namespace InnerEye.Imaging.Series;

public sealed record SeriesLoadOptions
{
    public static readonly SeriesLoadOptions Default = new();

    /// <summary>A slice gap may differ from the median gap by at most this much (mm); RTConvert uses 0.1 mm.</summary>
    public double SliceGapTolerance { get; init; } = 0.1;

    /// <summary>Direction cosines must be unit length and orthogonal to within this much.</summary>
    public double OrientationTolerance { get; init; } = 1e-3;

    public long MaxEntryBytes { get; init; } = 1L << 30;

    public long MaxTotalBytes { get; init; } = 8L << 30;

    public int MaxDegreeOfParallelism { get; init; } = Environment.ProcessorCount;
}
