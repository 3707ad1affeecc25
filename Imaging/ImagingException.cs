namespace InnerEye.Imaging;

/// <summary>
/// Base of every error this library raises for bad input. <see cref="Code"/> is a stable machine-readable word
/// (for problem bodies and exit codes); the message says what is wrong in terms a person can act on.
/// </summary>
public class ImagingException(string code, string message, Exception? inner = null) : Exception(message, inner)
{
    public string Code { get; } = code;
}

/// <summary>The bytes are not a well-formed DICOM stream.</summary>
public sealed class DicomFormatException(string code, string message, Exception? inner = null)
    : ImagingException(code, message, inner);

/// <summary>Pixel data could not be decoded (corrupt codestream, unsupported layout).</summary>
public sealed class PixelDecodeException(string code, string message, Exception? inner = null)
    : ImagingException(code, message, inner);

/// <summary>A codec library needed for a transfer syntax is not installed.</summary>
public sealed class CodecUnavailableException(string transferSyntaxUid, string transferSyntaxName, string package, Exception? inner = null)
    : ImagingException("CodecUnavailable",
        $"Cannot decode {transferSyntaxName} ({transferSyntaxUid}): the native library is missing. Install the Debian package '{package}'.",
        inner)
{
    public string TransferSyntaxUid { get; } = transferSyntaxUid;
    public string Package { get; } = package;
}
