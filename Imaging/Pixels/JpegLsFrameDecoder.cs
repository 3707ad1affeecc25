using System.Buffers;

namespace InnerEye.Imaging.Pixels;

/// <summary>
/// JPEG-LS lossless (1.2.840.10008.1.2.4.80) and near-lossless (.81) through CharLS 2.x (Debian libcharls2).
/// Planar (interleave mode none) colour output is re-interleaved by pixel; signed samples are sign-extended from
/// Bits Stored.
/// </summary>
public sealed unsafe class JpegLsFrameDecoder : IFrameDecoder
{
    internal const string Codec = "JPEG-LS";

    public static JpegLsFrameDecoder Instance { get; } = new();

    private static readonly Lazy<bool> Available = new(() =>
        NativeLibraries.IsAvailable(() => CharLsInterop.GetVersionString()));

    /// <summary>True when libcharls can be loaded.</summary>
    public static bool IsAvailable => Available.Value;

    public void Decode(ReadOnlySpan<byte> encoded, FrameFormat format, Span<byte> destination)
    {
        FrameChecks.Validate(Codec, format, destination.Length, allow32Bit: false);
        if (encoded.Length < 4 || encoded[0] != 0xFF || encoded[1] != 0xD8)
            throw FrameChecks.Corrupt(Codec, "the data does not start with a JPEG SOI marker");
        // CharLS 2.4 takes seconds to reject a stream that simply stops, so insist on the EOI marker first
        // (ignoring the zero padding that keeps DICOM fragments even).
        var end = encoded.Length;
        while (end > 2 && encoded[end - 1] == 0)
            end--;
        if (end < 4 || encoded[end - 2] != 0xFF || encoded[end - 1] != 0xD9)
            throw FrameChecks.Corrupt(Codec, "the stream does not end with an EOI marker (truncated?)");
        encoded = encoded[..end];

        var decoder = CharLsInterop.DecoderCreate();
        if (decoder == IntPtr.Zero)
            throw new OutOfMemoryException("CharLS could not create a decoder.");
        byte[]? rented = null;
        try
        {
            fixed (byte* source = encoded)
            {
                Check(CharLsInterop.SetSourceBuffer(decoder, source, (nuint)encoded.Length), "reading the stream");
                Check(CharLsInterop.ReadHeader(decoder), "reading the header");
                CharLsInterop.FrameInfo info;
                Check(CharLsInterop.GetFrameInfo(decoder, &info), "reading the frame header");
                int interleave;
                Check(CharLsInterop.GetInterleaveMode(decoder, &interleave), "reading the interleave mode");

                if (info.Width != format.Columns || info.Height != format.Rows)
                    throw FrameChecks.Corrupt(Codec,
                        $"the codestream is {info.Width}x{info.Height} but the data set says {format.Columns}x{format.Rows}");
                if (info.ComponentCount != format.SamplesPerPixel)
                    throw FrameChecks.Corrupt(Codec,
                        $"the codestream has {info.ComponentCount} components but the data set says {format.SamplesPerPixel} samples per pixel");
                if (info.BitsPerSample < 2 || info.BitsPerSample > 8 * format.BytesPerSample)
                    throw FrameChecks.Unsupported(Codec, $"{info.BitsPerSample}-bit samples do not fit in {format.BitsAllocated} bits allocated");

                var decodedBytesPerSample = info.BitsPerSample <= 8 ? 1 : 2;
                var decodedSize = (long)format.Rows * format.Columns * format.SamplesPerPixel * decodedBytesPerSample;
                nuint required;
                Check(CharLsInterop.GetDestinationSize(decoder, 0, &required), "sizing the output");
                if ((long)required != decodedSize)
                    throw FrameChecks.Corrupt(Codec, $"the decoder needs {required} bytes where {decodedSize} were expected");

                var direct = decodedBytesPerSample == format.BytesPerSample
                    && (format.SamplesPerPixel == 1 || interleave != CharLsInterop.InterleaveNone);
                Span<byte> target = direct
                    ? destination
                    : (rented = ArrayPool<byte>.Shared.Rent((int)decodedSize)).AsSpan(0, (int)decodedSize);
                fixed (byte* output = target)
                    Check(CharLsInterop.DecodeToBuffer(decoder, output, (nuint)decodedSize, 0), "decoding");
                if (!direct)
                {
                    var planar = format.SamplesPerPixel > 1 && interleave == CharLsInterop.InterleaveNone;
                    SampleLayout.Copy(target, decodedBytesPerSample, planar, format, destination);
                }
                SampleLayout.SignExtend(format, destination);
            }
        }
        finally
        {
            CharLsInterop.DecoderDestroy(decoder);
            if (rented is not null)
                ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private static void Check(int error, string step)
    {
        if (error != 0)
            throw FrameChecks.Corrupt(Codec, $"CharLS failed {step}: {CharLsInterop.Message(error)}");
    }
}
