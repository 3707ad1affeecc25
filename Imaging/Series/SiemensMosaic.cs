using System.Buffers.Binary;
using System.Text;
using InnerEye.Imaging.Dicom;

namespace InnerEye.Imaging.Series;

/// <summary>
/// Recognises Siemens MOSAIC images: one frame that tiles many slices (EPI, diffusion, fMRI). Their place in the volume
/// is only in the Siemens private CSA header, so they cannot be stacked as they are.
/// </summary>
internal static class SiemensMosaic
{
    private const string CsaCreator = "SIEMENS CSA HEADER";
    private const string MosaicTag = "NumberOfImagesInMosaic";

    /// <summary>
    /// Null when the image is not a mosaic; otherwise the number of slices it tiles, or 0 when the ImageType says
    /// MOSAIC but the CSA header does not say how many.
    /// </summary>
    public static int? SlicesIn(DicomDataset ds)
    {
        var fromCsa = ImagesInMosaic(ds);
        if (fromCsa is > 0) return fromCsa;
        var type = ds.GetString(DicomTags.ImageType);
        if (type is not null && type.Split('\\').Any(v => v.Trim().Equals("MOSAIC", StringComparison.OrdinalIgnoreCase))) return 0;
        return null;
    }

    /// <summary>NumberOfImagesInMosaic from the CSA Image Header Info (0029,xx10); null when absent or unreadable.</summary>
    public static int? ImagesInMosaic(DicomDataset ds)
    {
        foreach (var e in ds.Elements)
        {
            if (e.Tag.Group != 0x0029 || !e.Tag.IsPrivateCreator) continue;
            if (Encoding.ASCII.GetString(ds.ValueBytes(e)).Trim(' ', '\0') != CsaCreator) continue;
            var block = (ushort)(e.Tag.Element << 8);
            if (ds.TryGet(new DicomTag(0x0029, (ushort)(block | 0x10)), out var info) && Parse(ds.ValueBytes(info)) is { } n) return n;
        }
        return null;
    }

    /// <summary>
    /// Finds the tag in a CSA1 or CSA2 ("SV10") header: a 64-byte name, then VM, VR, SyngoDT, item count and a
    /// marker (4 bytes each), then items of a 16-byte header and a NUL-terminated decimal value.
    /// </summary>
    internal static int? Parse(ReadOnlySpan<byte> csa)
    {
        var name = Encoding.ASCII.GetBytes(MosaicTag + "\0");
        var at = csa.IndexOf(name);
        if (at < 0) return null;
        var header = at + 64;
        if (header + 20 + 16 > csa.Length) return null;
        var items = BinaryPrimitives.ReadInt32LittleEndian(csa[(header + 12)..]);
        if (items <= 0) return null;
        var value = csa[(header + 20 + 16)..];
        value = value[..Math.Min(value.Length, 32)];
        var end = value.IndexOf((byte)0);
        if (end >= 0) value = value[..end];
        return int.TryParse(Encoding.ASCII.GetString(value).Trim(), System.Globalization.NumberStyles.Integer,
            System.Globalization.CultureInfo.InvariantCulture, out var n) && n > 0 ? n : null;
    }
}
