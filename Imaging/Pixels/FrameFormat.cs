namespace InnerEye.Imaging.Pixels;

/// <summary>The layout of one decoded image frame, as the Image Pixel module describes it.</summary>
public readonly record struct FrameFormat(
    int Rows,
    int Columns,
    int SamplesPerPixel,
    int BitsAllocated,
    int BitsStored,
    bool IsSigned,
    int PlanarConfiguration)
{
    public int BytesPerSample => BitsAllocated / 8;

    /// <summary>Bytes of one decoded frame: little-endian samples, interleaved by pixel when SamplesPerPixel &gt; 1.</summary>
    public long FrameBytes => (long)Rows * Columns * SamplesPerPixel * BytesPerSample;
}
