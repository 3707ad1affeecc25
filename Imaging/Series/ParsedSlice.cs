using InnerEye.Imaging.Dicom;
using InnerEye.Imaging.Pixels;

namespace InnerEye.Imaging.Series;

/// <summary>What the loader needs from one image file, read once from its header; pixels decoded to HU beside it.</summary>
internal sealed class ParsedSlice
{
    public required SeriesEntry Entry { get; init; }
    public required string SopClassUid { get; init; }
    public required string SopInstanceUid { get; init; }
    public required string SeriesInstanceUid { get; init; }
    public required string StudyInstanceUid { get; init; }
    public required string FrameOfReferenceUid { get; init; }
    public required string Modality { get; init; }
    public double[]? Position { get; init; }
    public double[]? Orientation { get; init; }
    public double[]? PixelSpacing { get; init; }
    public double? SliceThickness { get; init; }
    public required FrameFormat Format { get; init; }
    public int Frames { get; init; }
    public required TransferSyntax TransferSyntax { get; init; }
    public bool Lossy { get; init; }
    public required IReadOnlyList<CopiedElement> PatientAndStudy { get; init; }
    public float[]? Hu { get; set; }

    // Patient and General Study modules, plus the Frame of Reference module's PositionReferenceIndicator: what a
    // derived object (an RT Structure Set) repeats from its source images.
    private static readonly DicomTag[] CopiedTags =
    [
        DicomTags.SpecificCharacterSet, DicomTags.StudyDate, DicomTags.StudyTime, DicomTags.AccessionNumber,
        DicomTags.ReferringPhysicianName, DicomTags.StudyDescription, DicomTags.PatientName, DicomTags.PatientID,
        DicomTags.PatientBirthDate, DicomTags.PatientSex, DicomTags.StudyInstanceUID, DicomTags.StudyID,
        DicomTags.PositionReferenceIndicator,
    ];

    /// <summary>Reads the header; null when the file is a DICOM object without pixel data (nothing to load).</summary>
    public static ParsedSlice? FromFile(SeriesEntry entry, DicomFile file)
    {
        var ds = file.Dataset;
        if (!ds.Contains(DicomTags.PixelData)) return null;
        string Uid(DicomTag tag) => ds.GetString(tag) ?? "";
        var copied = new List<CopiedElement>();
        foreach (var tag in CopiedTags)
        {
            if (ds.TryGet(tag, out var e) && !e.IsSequence) copied.Add(new CopiedElement(tag, e.VR, ds.ValueBytes(e).ToArray()));
        }
        return new ParsedSlice
        {
            Entry = entry,
            SopClassUid = Uid(DicomTags.SOPClassUID),
            SopInstanceUid = Uid(DicomTags.SOPInstanceUID),
            SeriesInstanceUid = Uid(DicomTags.SeriesInstanceUID),
            StudyInstanceUid = Uid(DicomTags.StudyInstanceUID),
            FrameOfReferenceUid = Uid(DicomTags.FrameOfReferenceUID),
            Modality = ds.GetString(DicomTags.Modality) ?? "",
            Position = ds.GetDoubles(DicomTags.ImagePositionPatient),
            Orientation = ds.GetDoubles(DicomTags.ImageOrientationPatient),
            PixelSpacing = ds.GetDoubles(DicomTags.PixelSpacing),
            SliceThickness = ds.GetDouble(DicomTags.SliceThickness),
            Format = PixelDataReader.FormatOf(ds),
            Frames = ds.GetInt32(DicomTags.NumberOfFrames) ?? 1,
            TransferSyntax = file.TransferSyntax,
            Lossy = file.TransferSyntax.Lossy || ds.GetString(DicomTags.LossyImageCompression) == "01",
            PatientAndStudy = copied,
        };
    }
}
