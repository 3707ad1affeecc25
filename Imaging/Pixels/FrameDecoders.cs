using InnerEye.Imaging.Dicom;

namespace InnerEye.Imaging.Pixels;

/// <summary>The frame decoder for each compressed transfer syntax. Decoders are stateless and thread-safe.</summary>
public static class FrameDecoders
{
    /// <summary>The decoder for <paramref name="ts"/>'s pixel encoding.</summary>
    /// <exception cref="CodecUnavailableException">The native library the syntax needs is not installed.</exception>
    /// <exception cref="ArgumentException">The syntax is not encapsulated (native pixels need no decoder).</exception>
    public static IFrameDecoder For(TransferSyntax ts)
    {
        ArgumentNullException.ThrowIfNull(ts);
        return ts.Encoding switch
        {
            PixelEncoding.Rle => RleFrameDecoder.Instance,
            PixelEncoding.JpegLossless => JpegLosslessFrameDecoder.Instance,
            PixelEncoding.JpegBaseline => JpegBaselineFrameDecoder.Instance,
            PixelEncoding.JpegLs => JpegLsFrameDecoder.IsAvailable
                ? JpegLsFrameDecoder.Instance
                : throw new CodecUnavailableException(ts.Uid, ts.Name, "libcharls2"),
            PixelEncoding.Jpeg2000 => Jpeg2000FrameDecoder.IsAvailable
                ? Jpeg2000FrameDecoder.Instance
                : throw new CodecUnavailableException(ts.Uid, ts.Name, "libopenjp2-7"),
            PixelEncoding.Unsupported => throw new PixelDecodeException("UnsupportedTransferSyntax",
                $"Pixel data in transfer syntax {ts.Uid} cannot be decoded: it is not one of the syntaxes this service reads (native, deflate, " +
                "RLE, JPEG, JPEG Lossless, JPEG-LS, JPEG 2000)."),
            _ => throw new ArgumentException($"{ts} is not encapsulated; its pixels need no decoder.", nameof(ts)),
        };
    }
}
