namespace InnerEye.Imaging.Seg;

/// <summary>
/// Overlapping masks were given for the label-map form, whose one value per voxel cannot hold a voxel in two segments
/// (write the BINARY form, or separate instances, instead). Names the first such voxel and its two segments.
/// </summary>
public sealed class SegmentOverlapException(int x, int y, int z, int first, int second)
    : ImagingException("SegmentsOverlap",
        $"Segments {first + 1} and {second + 1} both hold voxel ({x}, {y}, {z}); a label-map segmentation cannot hold overlapping segments.")
{
    public int X { get; } = x;
    public int Y { get; } = y;
    public int Z { get; } = z;

    /// <summary>Indexes (0-based, in the list given to the writer) of the two segments.</summary>
    public int FirstSegment { get; } = first;
    public int SecondSegment { get; } = second;
}
