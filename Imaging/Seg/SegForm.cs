namespace InnerEye.Imaging.Seg;

/// <summary>How a DICOM Segmentation encodes its segments (PS3.3 C.8.20.2.3).</summary>
public enum SegForm
{
    /// <summary>
    /// Segmentation Storage (1.2.840.10008.5.1.4.1.1.66.4), SegmentationType BINARY: one 1-bit frame per segment per
    /// source slice that holds it. Segments may overlap.
    /// </summary>
    Binary,

    /// <summary>
    /// Label Map Segmentation Storage (1.2.840.10008.5.1.4.1.1.66.7), SegmentationType LABELMAP: one 8-bit (16-bit
    /// beyond 255 segments) frame per source slice whose pixel value is the segment number, 0 the background.
    /// Segments cannot overlap.
    /// </summary>
    LabelMap,
}
