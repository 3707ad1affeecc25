namespace InnerEye.Imaging.Series;

/// <summary>One channel's series, loaded and validated: the HU volume and what derived objects must reference.</summary>
public sealed record LoadedSeries(
    string Channel,
    string SeriesInstanceUid,
    string StudyInstanceUid,
    string FrameOfReferenceUid,
    string Modality,
    IReadOnlyList<SliceReference> Slices,
    IReadOnlyList<string> TransferSyntaxes,
    IReadOnlyList<CopiedElement> PatientAndStudy,
    ImageVolume Volume);
