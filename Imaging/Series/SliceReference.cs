namespace InnerEye.Imaging.Series;

/// <summary>
/// One source image of a volume, in sorted order: what an RT Structure Set refers back to. <paramref name="FrameNumber"/>
/// is the slice's frame (1-based) when the image is a multi-frame one, null for a single-frame image.
/// </summary>
public sealed record SliceReference(string SopClassUid, string SopInstanceUid, double[] Position, string EntryName, int? FrameNumber = null);
