using System.Globalization;
using InnerEye.Grains;
using InnerEye.Imaging;
using InnerEye.Imaging.Dicom;

namespace InnerEye.Gateway.Api.DicomWeb;

/// <summary>What intake and routing need of a received instance, read with the Imaging reader.</summary>
public sealed record InstanceHeader(string SopClassUid, string SopInstanceUid, SeriesAttributes Series)
{
    private static readonly DicomTag BodyPartExamined = new(0x00180015u);
    private static readonly DicomTag ProtocolName = new(0x00181030u);

    /// <summary>Reads the file's header.</summary>
    /// <exception cref="InvalidInstanceException">Not a DICOM file this service reads, or one without its UIDs.</exception>
    public static InstanceHeader Read(string path)
    {
        DicomFile file;
        try
        {
            file = DicomReader.ReadHeader(path);
        }
        catch (DicomFormatException e)
        {
            throw new InvalidInstanceException($"The part is not a readable DICOM file ({e.Code}: {e.Message}).");
        }
        if (file.TransferSyntax.Encoding == PixelEncoding.Unsupported)
            throw new InvalidInstanceException($"The transfer syntax {file.TransferSyntax.Uid} is not one this service decodes.");
        var d = file.Dataset;
        string Required(DicomTag tag, string name) =>
            d.GetFirstString(tag)?.Trim() is { Length: > 0 } value ? value : throw new InvalidInstanceException($"The instance has no {name}.");
        var sopClass = Required(DicomTags.SOPClassUID, "SOPClassUID");
        var sopInstance = Required(DicomTags.SOPInstanceUID, "SOPInstanceUID");
        var study = Required(DicomTags.StudyInstanceUID, "StudyInstanceUID");
        var series = Required(DicomTags.SeriesInstanceUID, "SeriesInstanceUID");
        double? thickness = double.TryParse(d.GetFirstString(DicomTags.SliceThickness)?.Trim(), NumberStyles.Float,
            CultureInfo.InvariantCulture, out var t)
            ? t
            : null;
        return new InstanceHeader(sopClass, sopInstance, new SeriesAttributes(study, series, Text(d, DicomTags.Modality),
            Text(d, DicomTags.Manufacturer), Text(d, BodyPartExamined), Text(d, DicomTags.SeriesDescription), Text(d, DicomTags.StudyDescription),
            Text(d, ProtocolName), thickness));
    }

    private static string? Text(DicomDataset d, DicomTag tag) => d.GetString(tag)?.Trim() is { Length: > 0 } s ? s : null;
}

/// <summary>A received part that cannot be stored as an instance (FailureReason 0xC000).</summary>
public sealed class InvalidInstanceException(string message) : Exception(message);
