namespace InnerEye.Imaging.Seg;

/// <summary>A coded concept (PS3.3 Table 8.8-1): CodeValue, CodingSchemeDesignator, CodeMeaning.</summary>
public sealed record SegCode(string Value, string Scheme, string Meaning)
{
    public override string ToString() => $"({Value}, {Scheme}, \"{Meaning}\")";
}

/// <summary>
/// What a segment is: SegmentedPropertyCategoryCodeSequence (CID 7150), SegmentedPropertyTypeCodeSequence (CID 7151)
/// and, optionally, the type's modifier (CID 244 laterality: left, right, bilateral).
/// </summary>
public sealed record SegmentCode(SegCode Category, SegCode Type, SegCode? TypeModifier = null);
