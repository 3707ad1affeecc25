using System.Buffers.Binary;
using System.Text;

namespace InnerEye.Imaging.Dicom;

/// <summary>
/// A data set (or sequence item) under construction for <see cref="DicomWriter"/>. Elements may be added in any
/// order; they are written in ascending tag order. Adding a tag twice throws.
/// </summary>
/// <remarks>
/// String values are encoded as Latin-1 (ASCII for everything this library writes itself) and padded to even length
/// with a space, or a NUL for UI. Raw values are kept by reference, not copied, and padded only when their length is
/// odd. Sequences are written with defined lengths computed from their items.
/// </remarks>
public sealed class DicomDatasetBuilder
{
    private readonly List<Entry> _entries = [];
    private readonly HashSet<uint> _tags = [];

    internal readonly record struct Entry(DicomTag Tag, DicomVR VR, ReadOnlyMemory<byte> Value, byte? Pad, IReadOnlyList<DicomDatasetBuilder>? Items,
        bool UndefinedLength = false)
    {
        public int ValueLength => Value.Length + (Pad.HasValue ? 1 : 0);
    }

    public int Count => _entries.Count;

    public bool Contains(DicomTag tag) => _tags.Contains(tag.Value);

    /// <summary>A string element; <paramref name="value"/> is written as given (a multi-valued one holds backslashes).</summary>
    public DicomDatasetBuilder Add(DicomTag tag, DicomVR vr, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (!DicomVRInfo.IsString(vr)) throw new ArgumentException($"{DicomVRInfo.Name(vr)} is not a string VR; add {tag} as bytes or numbers.",
            nameof(vr));
        return AddBytes(tag, vr, Encoding.Latin1.GetBytes(value));
    }

    /// <summary>A string element in place of the one with the same tag, if any (for derived objects and test data).</summary>
    public DicomDatasetBuilder Set(DicomTag tag, DicomVR vr, string value)
    {
        if (_tags.Remove(tag.Value)) _entries.RemoveAll(e => e.Tag == tag);
        return Add(tag, vr, value);
    }

    /// <summary>A multi-valued string element, values joined with backslashes.</summary>
    public DicomDatasetBuilder Add(DicomTag tag, DicomVR vr, params string[] values) => Add(tag, vr, string.Join('\\', values));

    /// <summary>
    /// An element whose value bytes are already encoded (copied from another file, pixel data, ContourData). They are
    /// written verbatim, followed by one pad byte when their length is odd (NUL for UI, OB and binary VRs; a space for
    /// the other string VRs).
    /// </summary>
    public DicomDatasetBuilder AddBytes(DicomTag tag, DicomVR vr, ReadOnlyMemory<byte> value)
    {
        if (vr == DicomVR.SQ) throw new ArgumentException("Add sequences with AddSequence.", nameof(vr));
        byte? pad = value.Length % 2 == 1 ? PadByte(vr) : null;
        return AddEntry(new Entry(tag, vr, value, pad, null));
    }

    /// <summary>
    /// Encapsulated pixel data (PS3.5 A.4): undefined length, an empty Basic Offset Table item, one item per fragment (each
    /// padded to even length), the sequence delimiter. One fragment a frame for the compressed transfer syntaxes written here.
    /// </summary>
    public DicomDatasetBuilder AddEncapsulated(DicomTag tag, IReadOnlyList<ReadOnlyMemory<byte>> fragments)
    {
        ArgumentNullException.ThrowIfNull(fragments);
        var length = 8 + fragments.Sum(f => 8L + f.Length + f.Length % 2) + 8;
        var bytes = new byte[checked((int)length)];
        var span = bytes.AsSpan();
        var at = WriteItemHeader(span, DicomTag.Item, 0);
        foreach (var fragment in fragments)
        {
            at += WriteItemHeader(span[at..], DicomTag.Item, (uint)(fragment.Length + fragment.Length % 2));
            fragment.Span.CopyTo(span[at..]);
            at += fragment.Length + fragment.Length % 2;
        }
        WriteItemHeader(span[at..], DicomTag.SequenceDelimitation, 0);
        return AddEntry(new Entry(tag, DicomVR.OB, bytes, null, null, UndefinedLength: true));
    }

    private static int WriteItemHeader(Span<byte> span, DicomTag tag, uint length)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(span, tag.Group);
        BinaryPrimitives.WriteUInt16LittleEndian(span[2..], tag.Element);
        BinaryPrimitives.WriteUInt32LittleEndian(span[4..], length);
        return 8;
    }

    public DicomDatasetBuilder AddUInt16(DicomTag tag, params ushort[] values)
    {
        var bytes = new byte[values.Length * 2];
        for (var i = 0; i < values.Length; i++) BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(i * 2), values[i]);
        return AddEntry(new Entry(tag, DicomVR.US, bytes, null, null));
    }

    public DicomDatasetBuilder AddUInt32(DicomTag tag, params uint[] values)
    {
        var bytes = new byte[values.Length * 4];
        for (var i = 0; i < values.Length; i++) BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(i * 4), values[i]);
        return AddEntry(new Entry(tag, DicomVR.UL, bytes, null, null));
    }

    /// <summary>A sequence of items (possibly none); each item is written with a defined length.</summary>
    public DicomDatasetBuilder AddSequence(DicomTag tag, IEnumerable<DicomDatasetBuilder> items)
    {
        var list = items.ToList();
        if (list.Any(i => i is null)) throw new ArgumentException("A sequence item is null.", nameof(items));
        return AddEntry(new Entry(tag, DicomVR.SQ, default, null, list));
    }

    public DicomDatasetBuilder AddSequence(DicomTag tag, params DicomDatasetBuilder[] items) =>
        AddSequence(tag, (IEnumerable<DicomDatasetBuilder>)items);

    /// <summary>The text of a string element as added, trailing padding removed; null when absent.</summary>
    public string? GetString(DicomTag tag)
    {
        foreach (var e in _entries)
        {
            if (e.Tag == tag && e.Items is null) return Encoding.Latin1.GetString(e.Value.Span).TrimEnd('\0', ' ');
        }
        return null;
    }

    /// <summary>The elements in ascending tag order.</summary>
    internal List<Entry> SortedEntries()
    {
        var sorted = new List<Entry>(_entries);
        sorted.Sort((a, b) => a.Tag.Value.CompareTo(b.Tag.Value));
        return sorted;
    }

    private DicomDatasetBuilder AddEntry(Entry entry)
    {
        if (entry.Tag.Element == 0x0000) throw new ArgumentException($"Group length {entry.Tag} is computed by the writer, not added.");
        if (entry.Tag == DicomTag.Item || entry.Tag == DicomTag.ItemDelimitation || entry.Tag == DicomTag.SequenceDelimitation)
            throw new ArgumentException($"{entry.Tag} is an item or delimitation tag, not an element.");
        if (!_tags.Add(entry.Tag.Value))
            throw new InvalidOperationException($"Element {entry.Tag} {DicomDictionary.KeywordOf(entry.Tag)} was added twice.");
        _entries.Add(entry);
        return this;
    }

    internal static byte PadByte(DicomVR vr) => vr == DicomVR.UI || !DicomVRInfo.IsString(vr) ? (byte)0 : (byte)' ';
}
