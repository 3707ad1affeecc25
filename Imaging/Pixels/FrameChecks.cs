namespace InnerEye.Imaging.Pixels;

/// <summary>Argument checks shared by the frame decoders.</summary>
internal static class FrameChecks
{
    public static PixelDecodeException Corrupt(string codec, string detail) =>
        new("CorruptPixelData", $"{codec} frame is corrupt: {detail}.");

    public static PixelDecodeException Unsupported(string codec, string detail) =>
        new("UnsupportedPixelData", $"{codec} frame cannot be decoded: {detail}.");

    /// <summary>Checks the layout is sane and the destination is exactly one frame.</summary>
    public static void Validate(string codec, FrameFormat format, int destinationLength, bool allow32Bit = true)
    {
        if (format.Rows <= 0 || format.Columns <= 0)
            throw Unsupported(codec, $"image size {format.Columns}x{format.Rows} is not positive");
        if (format.SamplesPerPixel is not (1 or 3 or 4))
            throw Unsupported(codec, $"{format.SamplesPerPixel} samples per pixel is not supported");
        if (format.BitsAllocated is not (8 or 16) && !(allow32Bit && format.BitsAllocated == 32))
            throw Unsupported(codec, $"{format.BitsAllocated} bits allocated is not supported");
        if (format.BitsStored < 1 || format.BitsStored > format.BitsAllocated)
            throw Unsupported(codec, $"{format.BitsStored} bits stored does not fit in {format.BitsAllocated} bits allocated");
        if (format.FrameBytes > int.MaxValue)
            throw Unsupported(codec, $"a frame of {format.FrameBytes} bytes is too large");
        if (destinationLength != format.FrameBytes)
        {
            throw new ArgumentException(
                $"Destination holds {destinationLength} bytes but one {format.Columns}x{format.Rows} frame needs {format.FrameBytes}.",
                "destination");
        }
    }
}
