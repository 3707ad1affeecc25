namespace InnerEye.Imaging.Series;

/// <summary>One source image of a volume, in sorted order: what an RT Structure Set refers back to.</summary>
public sealed record SliceReference(string SopClassUid, string SopInstanceUid, double[] Position, string EntryName);
