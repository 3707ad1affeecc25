using InnerEye.Imaging.Dicom;
using InnerEye.Imaging.Pixels;

namespace InnerEye.Imaging.Series;

/// <summary>
/// What the loader needs from one image, read once from its header; pixels decoded to HU beside it. A single-frame
/// image is one slice; each frame of an enhanced (or legacy-converted enhanced) multi-frame image is one slice too,
/// placed by its per-frame and shared functional groups.
/// </summary>
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

    /// <summary>Frames in the file this slice comes from.</summary>
    public int Frames { get; init; }

    /// <summary>The slice's frame (1-based) in a multi-frame image; null for a single-frame image.</summary>
    public int? FrameNumber { get; init; }

    public HuConverter.Rescale Rescale { get; init; }
    public required TransferSyntax TransferSyntax { get; init; }
    public bool Lossy { get; init; }
    public required IReadOnlyList<CopiedElement> PatientAndStudy { get; init; }
    public float[]? Hu { get; set; }

    /// <summary>How messages name the slice: the file, and the frame for a multi-frame image.</summary>
    public string Label => FrameNumber is { } f ? $"{Entry.Name} frame {f}" : Entry.Name;

    // Patient and General Study modules, plus the Frame of Reference module's PositionReferenceIndicator: what a
    // derived object (an RT Structure Set) repeats from its source images.
    private static readonly DicomTag[] CopiedTags =
    [
        DicomTags.SpecificCharacterSet, DicomTags.StudyDate, DicomTags.StudyTime, DicomTags.AccessionNumber,
        DicomTags.ReferringPhysicianName, DicomTags.StudyDescription, DicomTags.PatientName, DicomTags.PatientID,
        DicomTags.PatientBirthDate, DicomTags.PatientSex, DicomTags.StudyInstanceUID, DicomTags.StudyID,
        DicomTags.PositionReferenceIndicator,
    ];

    /// <summary>
    /// Reads the header: one slice per frame, or null when the file is a DICOM object without pixel data (nothing to
    /// load). Throws <see cref="ImagingException"/> for images that cannot become slices (a Siemens MOSAIC, a
    /// multi-frame image without functional groups, several stacks, frames the pixel data does not hold).
    /// </summary>
    public static ParsedSlice[]? FromFile(SeriesEntry entry, DicomFile file)
    {
        var ds = file.Dataset;
        if (!ds.Contains(DicomTags.PixelData)) return null;
        string Uid(DicomTag tag) => ds.GetString(tag) ?? "";
        var copied = new List<CopiedElement>();
        foreach (var tag in CopiedTags)
        {
            if (ds.TryGet(tag, out var e) && !e.IsSequence) copied.Add(new CopiedElement(tag, e.VR, ds.ValueBytes(e).ToArray()));
        }
        if (SiemensMosaic.SlicesIn(ds) is { } tiles)
        {
            throw new ImagingException("Mosaic",
                $"'{entry.Name}' is a Siemens MOSAIC image: {(tiles > 0 ? $"{tiles} slices" : "several slices")} tiled in one frame, " +
                "placed only by " +
                "the private CSA header. Convert the series to one image per slice first: export it from the scanner without " +
                "mosaic (Siemens \"unmosaic\"), or convert it with dcm2niix.");
        }

        var format = PixelDataReader.FormatOf(ds);
        var modality = ds.GetString(DicomTags.Modality) ?? "";
        var claimed = ds.GetInt32(DicomTags.NumberOfFrames);
        var frames = claimed ?? 1;
        if (ds.TryGet(DicomTags.NumberOfFrames, out _) && claimed is not > 0)
            throw new ImagingException("InvalidNumberOfFrames",
                $"'{entry.Name}' has NumberOfFrames (0028,0008) '{ds.GetString(DicomTags.NumberOfFrames)}', not a positive whole number.");
        var perFrame = ds.Items(DicomTags.PerFrameFunctionalGroupsSequence);
        var shared = ds.Items(DicomTags.SharedFunctionalGroupsSequence) is [var s, ..] ? s : null;
        var enhanced = perFrame.Count > 0 || shared is not null;
        string sopClass = Uid(DicomTags.SOPClassUID), sopInstance = Uid(DicomTags.SOPInstanceUID), series = Uid(DicomTags.SeriesInstanceUID),
            study = Uid(DicomTags.StudyInstanceUID), frameOfReference = Uid(DicomTags.FrameOfReferenceUID);
        var lossy = file.TransferSyntax.Lossy || ds.GetString(DicomTags.LossyImageCompression) == "01";
        ParsedSlice Slice(int? frame, double[]? position, double[]? orientation, DicomDataset? measures, DicomDataset transform) => new()
        {
            Entry = entry,
            SopClassUid = sopClass,
            SopInstanceUid = sopInstance,
            SeriesInstanceUid = series,
            StudyInstanceUid = study,
            FrameOfReferenceUid = frameOfReference,
            Modality = modality,
            Position = position,
            Orientation = orientation,
            PixelSpacing = measures?.GetDoubles(DicomTags.PixelSpacing),
            SliceThickness = measures?.GetDouble(DicomTags.SliceThickness),
            Format = format,
            Frames = frames,
            FrameNumber = frame,
            Rescale = HuConverter.RescaleOf(ds, transform, format, modality),
            TransferSyntax = file.TransferSyntax,
            Lossy = lossy,
            PatientAndStudy = copied,
        };
        if (!enhanced)
        {
            if (frames > 1)
            {
                throw new ImagingException("MultiFrame",
                    $"'{entry.Name}' holds {frames} frames but no per-frame or shared functional groups to place them (SOP class {sopClass}); " +
                    "a multi-frame image is read only when it is an enhanced (or legacy-converted enhanced) CT, MR or PET image.");
            }

            return [Slice(null, ds.GetDoubles(DicomTags.ImagePositionPatient), ds.GetDoubles(DicomTags.ImageOrientationPatient), ds, ds)];
        }

        if (perFrame.Count != frames && !(perFrame.Count == 0 && frames == 1))
        {
            throw new ImagingException("InconsistentFrameCount",
                $"'{entry.Name}' has NumberOfFrames {frames} but {perFrame.Count} items in its PerFrameFunctionalGroupsSequence (5200,9230); each " +
                "frame needs one.");
        }
        // Before anything is made per frame: the pixel data must hold every frame the header claims.
        PixelDataReader.CheckFrameCount(file, format, frames);

        var stacks = perFrame.Select(f => Group(f, null, DicomTags.FrameContentSequence)?.GetString(DicomTags.StackID)?.Trim())
            .OfType<string>().Where(id => id.Length > 0).Distinct().ToList();
        if (stacks.Count > 1)
        {
            throw new ImagingException("MultipleStacks",
                $"'{entry.Name}' holds {stacks.Count} stacks of frames (StackID {string.Join(", ", stacks.Take(8))}); only one stack, one volume, " +
                "per image is read. " +
                "Send each stack as its own series.");
        }

        var slices = new ParsedSlice[frames];
        for (var i = 0; i < frames; i++)
        {
            var item = perFrame.Count > 0 ? perFrame[i] : null;
            slices[i] = Slice(i + 1,
                Group(item, shared, DicomTags.PlanePositionSequence)?.GetDoubles(DicomTags.ImagePositionPatient),
                Group(item, shared, DicomTags.PlaneOrientationSequence)?.GetDoubles(DicomTags.ImageOrientationPatient),
                Group(item, shared, DicomTags.PixelMeasuresSequence),
                Group(item, shared, DicomTags.PixelValueTransformationSequence) ?? ds);
        }
        return slices;
    }

    /// <summary>A functional group macro's item for one frame: the per-frame one overrides the shared one.</summary>
    private static DicomDataset? Group(DicomDataset? perFrame, DicomDataset? shared, DicomTag macro) =>
        perFrame?.Items(macro) is [var p, ..] ? p : shared?.Items(macro) is [var s, ..] ? s : null;
}
