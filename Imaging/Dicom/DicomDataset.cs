using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace InnerEye.Imaging.Dicom;

/// <summary>
/// A parsed data set. Element values stay in the shared source buffer and are decoded on request, so reading a header
/// costs one small struct per element.
/// </summary>
public sealed class DicomDataset
{
    private readonly List<DicomElement> _elements = [];
    private readonly List<IReadOnlyList<DicomDataset>> _sequences = [];
    private readonly List<IReadOnlyList<Range>> _fragments = [];
    private bool _sorted = true;

    internal DicomDataset(byte[] buffer, bool bigEndian)
    {
        Buffer = buffer;
        BigEndian = bigEndian;
    }

    internal byte[] Buffer { get; }
    public bool BigEndian { get; }
    public IReadOnlyList<DicomElement> Elements => _elements;

    internal void Add(DicomElement element)
    {
        if (_elements.Count > 0 && _elements[^1].Tag.Value >= element.Tag.Value) _sorted = false;
        _elements.Add(element);
    }

    internal int AddSequence(IReadOnlyList<DicomDataset> items)
    {
        _sequences.Add(items);
        return _sequences.Count - 1;
    }

    internal int AddFragments(IReadOnlyList<Range> fragments)
    {
        _fragments.Add(fragments);
        return _fragments.Count - 1;
    }

    public bool Contains(DicomTag tag) => IndexOf(tag) >= 0;

    public bool TryGet(DicomTag tag, out DicomElement element)
    {
        var i = IndexOf(tag);
        element = i >= 0 ? _elements[i] : default;
        return i >= 0;
    }

    public ReadOnlySpan<byte> ValueBytes(DicomElement element) => Buffer.AsSpan(element.Offset, element.Length);

    public ReadOnlyMemory<byte> ValueMemory(DicomElement element) => Buffer.AsMemory(element.Offset, element.Length);

    /// <summary>The raw value bytes of an element, or an empty span when it is absent.</summary>
    public ReadOnlySpan<byte> ValueBytes(DicomTag tag) => TryGet(tag, out var e) ? ValueBytes(e) : default;

    public IReadOnlyList<DicomDataset> Items(DicomTag tag) =>
        TryGet(tag, out var e) && e.IsSequence ? _sequences[e.Link] : [];

    public IReadOnlyList<DicomDataset> Items(in DicomElement element) => element.IsSequence ? _sequences[element.Link] : [];

    /// <summary>The fragments of encapsulated pixel data, the Basic Offset Table first; null for native data.</summary>
    public IReadOnlyList<Range>? Fragments(in DicomElement element) =>
        element.VR != DicomVR.SQ && element.Link >= 0 ? _fragments[element.Link] : null;

    /// <summary>
    /// The whole value as text, trailing padding removed; null when absent and "" when present but empty (writers of
    /// structure sets tell the two apart). Callers treat both alike (<c>?? ""</c>, <c>IsNullOrEmpty</c>);
    /// <see cref="GetFirstString"/> reads an empty value as absent.
    /// </summary>
    public string? GetString(DicomTag tag)
    {
        if (!TryGet(tag, out var e)) return null;
        return DecodeText(ValueBytes(e), e.VR);
    }

    /// <summary>The first value of a multi-valued string; null when absent or empty.</summary>
    public string? GetFirstString(DicomTag tag)
    {
        var s = GetString(tag);
        if (string.IsNullOrEmpty(s)) return null;
        var i = s.IndexOf('\\');
        return (i < 0 ? s : s[..i]).Trim();
    }

    /// <summary>
    /// An unsigned 16-bit value from a US (or numeric string) element; null when absent, empty (a Type 2 attribute
    /// present without a value reads as absent) or not a number.
    /// </summary>
    public ushort? GetUInt16(DicomTag tag)
    {
        if (!TryGet(tag, out var e)) return null;
        var v = ValueBytes(e);
        if (DicomVRInfo.IsString(e.VR)) return ushort.TryParse(FirstValue(v, e.VR), NumberStyles.Integer, CultureInfo.InvariantCulture, out var s)
            ? s : null;
        if (v.Length < 2) return null;
        return BigEndian ? BinaryPrimitives.ReadUInt16BigEndian(v) : BinaryPrimitives.ReadUInt16LittleEndian(v);
    }

    /// <summary>
    /// An integer from an IS or binary integer (US, SS, UL, SL) element; null when absent, empty (a Type 2 attribute
    /// present without a value reads as absent), too short for its VR, or not a number.
    /// </summary>
    public int? GetInt32(DicomTag tag)
    {
        if (!TryGet(tag, out var e)) return null;
        var v = ValueBytes(e);
        switch (e.VR)
        {
            case DicomVR.US: return v.Length < 2 ? null : BigEndian ? BinaryPrimitives.ReadUInt16BigEndian(v)
                : BinaryPrimitives.ReadUInt16LittleEndian(v);
            case DicomVR.SS: return v.Length < 2 ? null : BigEndian ? BinaryPrimitives.ReadInt16BigEndian(v)
                : BinaryPrimitives.ReadInt16LittleEndian(v);
            case DicomVR.UL or DicomVR.SL: return v.Length < 4 ? null : BigEndian
                ? BinaryPrimitives.ReadInt32BigEndian(v) : BinaryPrimitives.ReadInt32LittleEndian(v);
            case DicomVR.FL or DicomVR.FD or DicomVR.OB or DicomVR.OW or DicomVR.OL or DicomVR.OF or DicomVR.OD or DicomVR.OV
                or DicomVR.SV or DicomVR.UV or DicomVR.AT or DicomVR.UN or DicomVR.SQ:
                return null;
            default:
                return int.TryParse(FirstValue(v, e.VR), NumberStyles.Integer, CultureInfo.InvariantCulture, out var r) ? r : null;
        }
    }

    /// <summary>
    /// The numbers of a DS/IS (backslash-separated) or FD/FL element; null when absent or empty (zero length, or only
    /// padding: a Type 2 attribute present without a value reads as absent). Throws <see cref="DicomFormatException"/>
    /// when a value is not a number, naming the element.
    /// </summary>
    public double[]? GetDoubles(DicomTag tag)
    {
        if (!TryGet(tag, out var e)) return null;
        var v = ValueBytes(e);
        switch (e.VR)
        {
            case DicomVR.FD:
            {
                if (v.Length < 8) return null;
                var r = new double[v.Length / 8];
                for (var i = 0; i < r.Length; i++)
                    r[i] = BigEndian ? BinaryPrimitives.ReadDoubleBigEndian(v[(i * 8)..]) : BinaryPrimitives.ReadDoubleLittleEndian(v[(i * 8)..]);
                return r;
            }
            case DicomVR.FL:
            {
                if (v.Length < 4) return null;
                var r = new double[v.Length / 4];
                for (var i = 0; i < r.Length; i++)
                    r[i] = BigEndian ? BinaryPrimitives.ReadSingleBigEndian(v[(i * 4)..]) : BinaryPrimitives.ReadSingleLittleEndian(v[(i * 4)..]);
                return r;
            }
            default:
                return ParseDecimals(tag, v);
        }
    }

    public double? GetDouble(DicomTag tag)
    {
        var values = GetDoubles(tag);
        return values is { Length: > 0 } ? values[0] : null;
    }

    /// <summary>A DS or IS value as numbers; null when the value is empty or only padding (spaces, NULs).</summary>
    private static double[]? ParseDecimals(DicomTag tag, ReadOnlySpan<byte> bytes)
    {
        if (bytes.IndexOfAnyExcept((byte)' ', (byte)0) < 0) return null;
        var result = new double[bytes.Count((byte)'\\') + 1];
        var n = 0;
        foreach (var range in bytes.Split((byte)'\\'))
        {
            var part = bytes[range].Trim((byte)' ').TrimEnd((byte)0);
            if (!double.TryParse(part, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) || !double.IsFinite(d))
            {
                throw new DicomFormatException("InvalidNumber",
                    $"Element {tag} {DicomDictionary.KeywordOf(tag)} holds '{Encoding.Latin1.GetString(bytes)}', which is not a list of " +
                    "decimal numbers.");
            }

            result[n++] = d;
        }
        return result;
    }

    /// <summary>The first value of a string element, padding removed ("" when empty).</summary>
    private static string FirstValue(ReadOnlySpan<byte> value, DicomVR vr)
    {
        var i = value.IndexOf((byte)'\\');
        return DecodeText(i < 0 ? value : value[..i], vr).Trim();
    }

    private static string DecodeText(ReadOnlySpan<byte> value, DicomVR vr)
    {
        var trimmed = value.TrimEnd((byte)0).TrimEnd((byte)' ');
        if (vr is not (DicomVR.LT or DicomVR.ST or DicomVR.UT)) trimmed = trimmed.TrimStart((byte)' ');
        return Encoding.Latin1.GetString(trimmed);
    }

    private int IndexOf(DicomTag tag)
    {
        if (_sorted)
        {
            int lo = 0, hi = _elements.Count - 1;
            while (lo <= hi)
            {
                var mid = (lo + hi) >> 1;
                var v = _elements[mid].Tag.Value;
                if (v == tag.Value) return mid;
                if (v < tag.Value) lo = mid + 1;
                else hi = mid - 1;
            }
            return -1;
        }
        for (var i = 0; i < _elements.Count; i++)
        {
            if (_elements[i].Tag == tag) return i;
        }
        return -1;
    }
}
