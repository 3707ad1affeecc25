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

    /// <summary>The whole value as text, trailing padding removed; null when absent.</summary>
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

    public ushort? GetUInt16(DicomTag tag)
    {
        if (!TryGet(tag, out var e)) return null;
        var v = ValueBytes(e);
        if (DicomVRInfo.IsString(e.VR)) return ushort.TryParse(DecodeText(v, e.VR), NumberStyles.Integer, CultureInfo.InvariantCulture, out var s) ? s : null;
        if (v.Length < 2) return null;
        return BigEndian ? BinaryPrimitives.ReadUInt16BigEndian(v) : BinaryPrimitives.ReadUInt16LittleEndian(v);
    }

    /// <summary>An integer from an IS or binary integer element; null when absent, empty or not a number.</summary>
    public int? GetInt32(DicomTag tag)
    {
        if (!TryGet(tag, out var e)) return null;
        var v = ValueBytes(e);
        switch (e.VR)
        {
            case DicomVR.US when v.Length >= 2: return BigEndian ? BinaryPrimitives.ReadUInt16BigEndian(v) : BinaryPrimitives.ReadUInt16LittleEndian(v);
            case DicomVR.SS when v.Length >= 2: return BigEndian ? BinaryPrimitives.ReadInt16BigEndian(v) : BinaryPrimitives.ReadInt16LittleEndian(v);
            case DicomVR.UL or DicomVR.SL when v.Length >= 4: return BigEndian ? BinaryPrimitives.ReadInt32BigEndian(v) : BinaryPrimitives.ReadInt32LittleEndian(v);
            default:
                var s = GetFirstString(tag);
                return int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var r) ? r : null;
        }
    }

    /// <summary>
    /// The numbers of a DS/IS (backslash-separated) or FD/FL element; null when absent. Throws
    /// <see cref="DicomFormatException"/> when a value is not a number, naming the element.
    /// </summary>
    public double[]? GetDoubles(DicomTag tag)
    {
        if (!TryGet(tag, out var e)) return null;
        var v = ValueBytes(e);
        switch (e.VR)
        {
            case DicomVR.FD:
            {
                var r = new double[v.Length / 8];
                for (var i = 0; i < r.Length; i++)
                    r[i] = BigEndian ? BinaryPrimitives.ReadDoubleBigEndian(v[(i * 8)..]) : BinaryPrimitives.ReadDoubleLittleEndian(v[(i * 8)..]);
                return r;
            }
            case DicomVR.FL:
            {
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

    private static double[] ParseDecimals(DicomTag tag, ReadOnlySpan<byte> bytes)
    {
        var count = bytes.IsEmpty ? 0 : bytes.Count((byte)'\\') + 1;
        var result = new double[count];
        var n = 0;
        foreach (var range in bytes.Split((byte)'\\'))
        {
            var part = bytes[range].Trim((byte)' ').TrimEnd((byte)0);
            if (part.IsEmpty && count == 1) return [];
            if (!double.TryParse(part, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) || !double.IsFinite(d))
                throw new DicomFormatException("InvalidNumber",
                    $"Element {tag} {DicomDictionary.KeywordOf(tag)} holds '{Encoding.Latin1.GetString(bytes)}', which is not a list of decimal numbers.");
            result[n++] = d;
        }
        return result;
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
