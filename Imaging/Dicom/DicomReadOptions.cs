namespace InnerEye.Imaging.Dicom;

public sealed record DicomReadOptions
{
    public static readonly DicomReadOptions Default = new();

    /// <summary>Deeper sequence nesting is refused; real data sets nest a handful of levels.</summary>
    public int MaxSequenceDepth { get; init; } = 64;

    /// <summary>Cap on the inflated size of a Deflated Explicit VR Little Endian data set.</summary>
    public long MaxInflatedBytes { get; init; } = 1L << 30;

    /// <summary>Stop at the top-level Pixel Data (7FE0,0010): the header alone, for readers that need no pixels.</summary>
    public bool StopBeforePixelData { get; init; }
}
