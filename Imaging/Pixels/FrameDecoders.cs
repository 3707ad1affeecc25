using InnerEye.Imaging.Dicom;

namespace InnerEye.Imaging.Pixels;

/// <summary>The decoder for each compressed pixel encoding.</summary>
public static class FrameDecoders
{
    public static IFrameDecoder For(TransferSyntax syntax) =>
        throw new PixelDecodeException("UnsupportedTransferSyntax", $"Pixel data in {syntax} cannot be decoded.");
}
