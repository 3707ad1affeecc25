namespace InnerEye.Imaging.Dicom;

/// <summary>A data element tag (group, element) ordered as DICOM orders data sets.</summary>
public readonly record struct DicomTag(uint Value) : IComparable<DicomTag>
{
    public DicomTag(ushort group, ushort element) : this((uint)group << 16 | element) { }

    public ushort Group => (ushort)(Value >> 16);
    public ushort Element => (ushort)Value;
    public bool IsPrivate => (Group & 1) == 1;
    public bool IsPrivateCreator => IsPrivate && Element is >= 0x0010 and <= 0x00FF;

    public int CompareTo(DicomTag other) => Value.CompareTo(other.Value);
    public override string ToString() => $"({Group:X4},{Element:X4})";

    public static readonly DicomTag Item = new(0xFFFEE000);
    public static readonly DicomTag ItemDelimitation = new(0xFFFEE00D);
    public static readonly DicomTag SequenceDelimitation = new(0xFFFEE0DD);
}
