namespace InnerEye.Grains;

/// <summary>The forms a completed job's result is kept in.</summary>
public enum ResultFormat
{
    /// <summary>The RT Structure Set (always kept).</summary>
    RtStruct,

    /// <summary>DICOM Segmentation, BINARY.</summary>
    Seg,

    /// <summary>DICOM Segmentation, label map (Supplement 243).</summary>
    LabelMapSeg,

    /// <summary>The label volume as gzipped NIfTI-1.</summary>
    Nifti,
}

/// <summary>
/// A completed job's artifacts: the RT Structure Set (<see cref="SegmentationStatus.Result"/>), the other forms kept beside
/// it, and, made on the first download, the zip the InnerEye gateway expects (one entry, <see cref="ZipEntryName"/>).
/// </summary>
public static class ResultArtifacts
{
    public const string ZipEntryName = "segmentation.dcm";

    public static IReadOnlyList<ResultFormat> AllFormats { get; } = Enum.GetValues<ResultFormat>();

    public static ArtifactRef ZipOf(ArtifactRef rt)
    {
        ArgumentNullException.ThrowIfNull(rt);
        return new ArtifactRef(rt.Key + ".zip");
    }

    /// <summary>Where the result is kept in <paramref name="format"/>, beside the RT Structure Set at <paramref name="rt"/>.</summary>
    public static ArtifactRef Of(ArtifactRef rt, ResultFormat format)
    {
        ArgumentNullException.ThrowIfNull(rt);
        var stem = rt.Key.EndsWith(".dcm", StringComparison.Ordinal) ? rt.Key[..^4] : rt.Key;
        return format switch
        {
            ResultFormat.RtStruct => rt,
            ResultFormat.Seg => new ArtifactRef(stem + ".seg.dcm"),
            ResultFormat.LabelMapSeg => new ArtifactRef(stem + ".labelmap-seg.dcm"),
            ResultFormat.Nifti => new ArtifactRef(stem + ".nii.gz"),
            _ => throw new ArgumentOutOfRangeException(nameof(format)),
        };
    }

    /// <summary>
    /// The preview image (PNG) kept beside the RT Structure Set at <paramref name="rt"/> when <c>ModelGrain:Preview</c> is on;
    /// deleted with the other forms at the end of the retention period.
    /// </summary>
    public static ArtifactRef PreviewOf(ArtifactRef rt)
    {
        ArgumentNullException.ThrowIfNull(rt);
        var stem = rt.Key.EndsWith(".dcm", StringComparison.Ordinal) ? rt.Key[..^4] : rt.Key;
        return new ArtifactRef(stem + ".preview.png");
    }

    /// <summary>The name of a format in routes and settings: <c>rtstruct</c>, <c>seg</c>, <c>labelmap-seg</c>, <c>nifti</c>.</summary>
    public static string Name(ResultFormat format) => format switch
    {
        ResultFormat.RtStruct => "rtstruct",
        ResultFormat.Seg => "seg",
        ResultFormat.LabelMapSeg => "labelmap-seg",
        ResultFormat.Nifti => "nifti",
        _ => throw new ArgumentOutOfRangeException(nameof(format)),
    };

    public static bool TryParse(string? name, out ResultFormat format)
    {
        foreach (var f in AllFormats)
        {
            if (string.Equals(Name(f), name?.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                format = f;
                return true;
            }
        }
        format = default;
        return false;
    }
}
