namespace InnerEye.Imaging.Seg;

/// <summary>
/// One segment of a label volume: label value i is segment i − 1 of the list given to the writer. <paramref name="Label"/>
/// becomes SegmentLabel, the colour RecommendedDisplayCIELabValue. Without a <paramref name="Code"/> the property
/// codes come from <see cref="SegmentCodes"/> by the label's TG-263 name.
/// </summary>
public sealed record SegSegment(string Label, byte R, byte G, byte B, SegmentCode? Code = null);
