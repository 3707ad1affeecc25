namespace InnerEye.Imaging.Rt;

/// <summary>One closed planar contour: the image it lies on and its points in patient coordinates (x, y, z triples).</summary>
public sealed record RtContour(string ReferencedSopInstanceUid, double[] Points);

/// <summary>One ROI of a structure set with its display attributes and contours.</summary>
public sealed record RtRoi(int Number, string Name, byte[] Color, string InterpretedType, IReadOnlyList<RtContour> Contours);

/// <summary>What an RT Structure Set says, as read by <see cref="RtStructureSetReader"/>.</summary>
public sealed record RtStructureSetContent(
    string FrameOfReferenceUid, string ReferencedSeriesInstanceUid, string Manufacturer, string SoftwareVersions,
    IReadOnlyList<RtRoi> Rois);
