namespace InnerEye.Grains;

/// <summary>
/// A completed job's artifacts: the RT Structure Set (<see cref="SegmentationStatus.Result"/>) and, made on the first
/// download, the zip the InnerEye gateway expects (one entry, <see cref="ZipEntryName"/>), kept beside it.
/// </summary>
public static class ResultArtifacts
{
    public const string ZipEntryName = "segmentation.dcm";

    public static ArtifactRef ZipOf(ArtifactRef rt)
    {
        ArgumentNullException.ThrowIfNull(rt);
        return new ArtifactRef(rt.Key + ".zip");
    }
}
