namespace InnerEye.Imaging.Dicom;

public enum PixelEncoding
{
    Native,
    Rle,
    JpegBaseline,
    JpegLossless,
    JpegLs,
    Jpeg2000,

    /// <summary>A syntax this library has no decoder for; the data set is read as Explicit VR Little Endian.</summary>
    Unsupported,
}

/// <summary>A transfer syntax this library knows: how the data set is encoded and how pixel data is compressed.</summary>
public sealed record TransferSyntax(
    string Uid,
    string Name,
    bool ExplicitVR,
    bool BigEndian,
    bool Deflated,
    PixelEncoding Encoding,
    bool Lossy)
{
    public bool Encapsulated => Encoding != PixelEncoding.Native;

    public static readonly TransferSyntax ImplicitVRLittleEndian = new("1.2.840.10008.1.2", "Implicit VR Little Endian", false, false, false,
        PixelEncoding.Native, false);
    public static readonly TransferSyntax ExplicitVRLittleEndian = new("1.2.840.10008.1.2.1", "Explicit VR Little Endian", true, false, false,
        PixelEncoding.Native, false);
    public static readonly TransferSyntax DeflatedExplicitVRLittleEndian =
        new("1.2.840.10008.1.2.1.99", "Deflated Explicit VR Little Endian", true, false, true, PixelEncoding.Native, false);
    public static readonly TransferSyntax ExplicitVRBigEndian = new("1.2.840.10008.1.2.2", "Explicit VR Big Endian", true, true, false,
        PixelEncoding.Native, false);
    public static readonly TransferSyntax RleLossless = new("1.2.840.10008.1.2.5", "RLE Lossless", true, false, false, PixelEncoding.Rle, false);
    public static readonly TransferSyntax JpegBaseline8Bit = new("1.2.840.10008.1.2.4.50", "JPEG Baseline (Process 1)", true, false, false,
        PixelEncoding.JpegBaseline, true);
    public static readonly TransferSyntax JpegExtended12Bit = new("1.2.840.10008.1.2.4.51", "JPEG Extended (Process 2 & 4)", true, false, false,
        PixelEncoding.JpegBaseline, true);
    public static readonly TransferSyntax JpegLosslessNonHierarchical =
        new("1.2.840.10008.1.2.4.57", "JPEG Lossless, Non-Hierarchical (Process 14)", true, false, false, PixelEncoding.JpegLossless, false);
    public static readonly TransferSyntax JpegLosslessSV1 = new("1.2.840.10008.1.2.4.70",
        "JPEG Lossless, Non-Hierarchical, First-Order Prediction (Process 14 [Selection Value 1])", true, false, false,
        PixelEncoding.JpegLossless, false);
    public static readonly TransferSyntax JpegLsLossless = new("1.2.840.10008.1.2.4.80", "JPEG-LS Lossless", true, false, false,
        PixelEncoding.JpegLs, false);
    public static readonly TransferSyntax JpegLsNearLossless = new("1.2.840.10008.1.2.4.81", "JPEG-LS Lossy (Near-Lossless)", true, false, false,
        PixelEncoding.JpegLs, true);
    public static readonly TransferSyntax Jpeg2000Lossless = new("1.2.840.10008.1.2.4.90", "JPEG 2000 (Lossless Only)", true, false, false,
        PixelEncoding.Jpeg2000, false);
    public static readonly TransferSyntax Jpeg2000 = new("1.2.840.10008.1.2.4.91", "JPEG 2000", true, false, false, PixelEncoding.Jpeg2000, true);

    public static IReadOnlyList<TransferSyntax> All { get; } =
    [
        ImplicitVRLittleEndian, ExplicitVRLittleEndian, DeflatedExplicitVRLittleEndian, ExplicitVRBigEndian,
        RleLossless, JpegBaseline8Bit, JpegExtended12Bit, JpegLosslessNonHierarchical, JpegLosslessSV1,
        JpegLsLossless, JpegLsNearLossless, Jpeg2000Lossless, Jpeg2000,
    ];

    private static readonly Dictionary<string, TransferSyntax> ByUid = All.ToDictionary(t => t.Uid);

    /// <summary>The syntax with this UID, or null when it is not one this library reads.</summary>
    public static TransferSyntax? Find(string uid) => ByUid.GetValueOrDefault(uid.TrimEnd('\0', ' '));

    /// <summary>A syntax named by a file that this library cannot decode pixels of.</summary>
    public static TransferSyntax Unsupported(string uid) =>
        new(uid.TrimEnd('\0', ' '), "Unsupported transfer syntax", true, false, false, PixelEncoding.Unsupported, false);

    public override string ToString() => $"{Name} ({Uid})";
}
