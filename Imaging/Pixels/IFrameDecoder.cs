namespace InnerEye.Imaging.Pixels;

/// <summary>Decodes one compressed frame (all of its fragments joined) into native little-endian samples.</summary>
public interface IFrameDecoder
{
    /// <param name="encoded">The frame's compressed bytes.</param>
    /// <param name="format">What the data set says the frame holds.</param>
    /// <param name="destination">Exactly <see cref="FrameFormat.FrameBytes"/> bytes; samples interleaved by pixel.</param>
    void Decode(ReadOnlySpan<byte> encoded, FrameFormat format, Span<byte> destination);
}
