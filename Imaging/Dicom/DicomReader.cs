using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace InnerEye.Imaging.Dicom;

/// <summary>
/// Parses DICOM Part 10 files and bare data sets held in memory (PS3.10 and PS3.5 section 7): with or without the
/// 128-byte preamble and file meta information, in every transfer syntax of <see cref="TransferSyntax"/>.
/// Every length is checked against the bytes that remain, so bad input fails with a <see cref="DicomFormatException"/>
/// and nothing is ever allocated from a length the file claims.
/// </summary>
public static class DicomReader
{
    private const int PreambleLength = 128;

    /// <summary>
    /// The file's header: every element before the top-level Pixel Data, read from the file's first bytes where they hold
    /// it (the whole file otherwise), so that a reader of many large files reads little of each.
    /// </summary>
    public static DicomFile ReadHeader(string path, int prefixBytes = 256 * 1024)
    {
        var options = DicomReadOptions.Default with { StopBeforePixelData = true };
        using (var handle = File.OpenHandle(path))
        {
            var length = RandomAccess.GetLength(handle);
            if (length > prefixBytes)
            {
                var prefix = new byte[prefixBytes];
                var read = 0;
                while (read < prefix.Length && RandomAccess.Read(handle, prefix.AsSpan(read), read) is var n and > 0) read += n;
                try
                {
                    var header = Read(prefix, read, options, out var complete);
                    if (complete) return header;
                }
                catch (Exception e) when (e is DicomFormatException or InvalidDataException)
                {
                    // The header runs past the prefix (or the data set is deflated): read it all, below.
                }
            }
        }
        return Read(File.ReadAllBytes(path), options);
    }

    public static DicomFile ReadFile(string path, DicomReadOptions? options = null)
    {
        var bytes = File.ReadAllBytes(path);
        return Read(bytes, options);
    }

    public static DicomFile Read(byte[] data, DicomReadOptions? options = null) => Read(data, data.Length, options);

    /// <param name="data">The bytes; only the first <paramref name="length"/> are read (pooled buffers may be longer).</param>
    public static DicomFile Read(byte[] data, int length, DicomReadOptions? options = null) => Read(data, length, options, out _);

    /// <param name="stoppedBeforePixelData">With <see cref="DicomReadOptions.StopBeforePixelData"/>: whether Pixel Data (or a later element) was
    /// reached.</param>
    private static DicomFile Read(byte[] data, int length, DicomReadOptions? options, out bool stoppedBeforePixelData)
    {
        options ??= DicomReadOptions.Default;
        if ((uint)length > (uint)data.Length) throw new ArgumentOutOfRangeException(nameof(length));
        if (length == 0) throw new DicomFormatException("Empty", "The file is empty.");

        var hasPreamble = length >= PreambleLength + 4 && data.AsSpan(PreambleLength, 4).SequenceEqual("DICM"u8);
        var start = hasPreamble ? PreambleLength + 4 : 0;
        if (!hasPreamble && length >= 4 && data.AsSpan(0, 4).SequenceEqual("DICM"u8)) start = 4;

        DicomDataset? meta = null;
        var position = start;
        if (length - start >= 8 && BinaryPrimitives.ReadUInt16LittleEndian(data.AsSpan(start)) == 0x0002)
        {
            meta = new DicomDataset(data, bigEndian: false);
            position = ParseMeta(data, start, length, meta);
        }
        else if (hasPreamble)
        {
            throw new DicomFormatException("MissingFileMeta", "The file has a DICM prefix but no file meta information group (0002,xxxx) after it.");
        }

        var syntax = ResolveTransferSyntax(data, position, length, meta);
        if (!syntax.Deflated) syntax = MatchVREncoding(syntax, data, position, length);
        var buffer = data;
        var end = length;
        if (syntax.Deflated)
        {
            buffer = Inflate(data, position, length, options.MaxInflatedBytes);
            position = 0;
            end = buffer.Length;
        }
        if (position >= end) throw new DicomFormatException("NoDataSet", "The file holds file meta information but no data set.");

        var dataset = new DicomDataset(buffer, syntax.BigEndian);
        var parser = new Parser(buffer, end, syntax.ExplicitVR, syntax.BigEndian, options.MaxSequenceDepth, options.StopBeforePixelData);
        stoppedBeforePixelData = parser.ParseItems(dataset, position, end, untilDelimiter: false, depth: 0) < end;
        return new DicomFile(meta, dataset, syntax, hasPreamble);
    }

    private static int ParseMeta(byte[] data, int start, int length, DicomDataset meta)
    {
        var parser = new Parser(data, length, explicitVR: true, bigEndian: false, maxDepth: 4);
        var position = start;
        while (position + 8 <= length && BinaryPrimitives.ReadUInt16LittleEndian(data.AsSpan(position)) == 0x0002)
        {
            position = parser.ParseElement(meta, position, length, depth: 0, out var delimiter);
            if (delimiter) throw new DicomFormatException("InvalidFileMeta",
                $"Unexpected delimiter in the file meta information at offset {position}.");
        }
        if (meta.TryGet(DicomTags.FileMetaInformationGroupLength, out var groupLength) && groupLength.Length == 4)
        {
            var declaredEnd = (long)groupLength.Offset + 4 + BinaryPrimitives.ReadUInt32LittleEndian(meta.ValueBytes(groupLength));
            if (declaredEnd > length)
                throw new DicomFormatException("Truncated",
                    $"The file meta information declares {declaredEnd - groupLength.Offset - 4} bytes but the file ends first: it is truncated.");
        }
        return position;
    }

    private static TransferSyntax ResolveTransferSyntax(byte[] data, int position, int length, DicomDataset? meta)
    {
        var uid = meta?.GetString(DicomTags.TransferSyntaxUID);
        if (!string.IsNullOrEmpty(uid))
        {
            return TransferSyntax.Find(uid) ?? TransferSyntax.Unsupported(uid);
        }
        return GuessEncoding(data, position, length, requirePlausibleStart: meta is null);
    }

    /// <summary>
    /// Some writers state an explicit-VR syntax but encode the data set with implicit VR, or the reverse. As dcmtk and
    /// pydicom do, the first element's header decides; pixel encoding stays as stated.
    /// </summary>
    private static TransferSyntax MatchVREncoding(TransferSyntax syntax, byte[] data, int position, int length)
    {
        if (length - position < 8 || syntax.BigEndian) return syntax;
        var foundExplicit = DicomVRInfo.Parse(data[position + 4], data[position + 5]) != DicomVR.None;
        return foundExplicit == syntax.ExplicitVR ? syntax : syntax with { ExplicitVR = foundExplicit };
    }

    /// <summary>A data set without a stated transfer syntax: tell byte order and VR encoding from its first element.</summary>
    private static TransferSyntax GuessEncoding(byte[] data, int position, int length, bool requirePlausibleStart)
    {
        if (length - position < 8) throw new DicomFormatException("Truncated", "The data set is shorter than one element header.");
        var span = data.AsSpan(position);
        var groupLE = BinaryPrimitives.ReadUInt16LittleEndian(span);
        var groupBE = BinaryPrimitives.ReadUInt16BigEndian(span);
        var explicitVR = DicomVRInfo.Parse(span[4], span[5]) != DicomVR.None;
        var bigEndian = groupLE > 0x00FF && groupBE <= 0x00FF && groupBE >= 0x0008;
        // A data set without meta information starts with one of the first groups (0008 in practice).
        var plausible = bigEndian || groupLE is >= 0x0008 and <= 0x00FF;
        if (!plausible && requirePlausibleStart)
            throw new DicomFormatException("NotDicom",
                "The data does not start with a DICOM preamble, file meta information or a plausible data element: it is not a DICOM file.");
        if (bigEndian) return TransferSyntax.ExplicitVRBigEndian;
        return explicitVR ? TransferSyntax.ExplicitVRLittleEndian : TransferSyntax.ImplicitVRLittleEndian;
    }

    private static byte[] Inflate(byte[] data, int position, int length, long maxBytes)
    {
        try
        {
            using var input = new MemoryStream(data, position, length - position, writable: false);
            using var inflater = new DeflateStream(input, CompressionMode.Decompress);
            using var output = new MemoryStream();
            var chunk = new byte[81920];
            int n;
            while ((n = inflater.Read(chunk, 0, chunk.Length)) > 0)
            {
                if (output.Length + n > maxBytes)
                    throw new DicomFormatException("InflatedTooLarge", $"The deflated data set inflates to more than {maxBytes} bytes.");
                output.Write(chunk, 0, n);
            }
            return output.ToArray();
        }
        catch (InvalidDataException ex)
        {
            throw new DicomFormatException("InvalidDeflate", $"The deflated data set is corrupt: {ex.Message}", ex);
        }
    }

    /// <summary>The element-by-element parser over one buffer in one encoding.</summary>
    private readonly struct Parser(byte[] buffer, int limit, bool explicitVR, bool bigEndian, int maxDepth, bool stopBeforePixelData = false)
    {
        private const uint Undefined = 0xFFFFFFFF;

        /// <summary>Parses elements into <paramref name="target"/> until <paramref name="end"/>, or until an item delimiter.</summary>
        /// <returns>The position after the last element (after the delimiter when one ended the item).</returns>
        public int ParseItems(DicomDataset target, int position, int end, bool untilDelimiter, int depth)
        {
            while (position < end)
            {
                if (depth == 0 && stopBeforePixelData && end - position >= 4 && IsPixelDataOrLater(buffer.AsSpan(position))) return position;
                position = ParseElement(target, position, end, depth, out var delimiter);
                if (delimiter)
                {
                    if (!untilDelimiter) throw Error("UnexpectedDelimiter",
                        $"Item delimiter outside an item of undefined length at offset {position - 8}.");
                    return position;
                }
            }
            if (untilDelimiter) throw Error("Truncated",
                $"An item of undefined length is not closed by an item delimiter before offset {end}: the file is truncated.");
            return position;
        }

        private bool IsPixelDataOrLater(ReadOnlySpan<byte> span) => (ReadUInt16(span), ReadUInt16(span[2..])) switch
        {
            (0x7FE0, var element) => element >= 0x0010,
            (var group, _) => group > 0x7FE0 && group != 0xFFFE,
        };

        public int ParseElement(DicomDataset target, int position, int end, int depth, out bool delimiter)
        {
            delimiter = false;
            if (end - position < 8) throw Error("Truncated",
                $"Only {end - position} bytes remain at offset {position}, too few for an element header: the file is truncated.");
            var span = buffer.AsSpan(position);
            var tag = new DicomTag(ReadUInt16(span), ReadUInt16(span[2..]));
            if (tag.Group == 0xFFFE)
            {
                if (tag == DicomTag.ItemDelimitation) { delimiter = true; return position + 8; }
                throw Error("UnexpectedItem", $"Item tag {tag} found where a data element was expected at offset {position}.");
            }

            DicomVR vr;
            uint length;
            int header;
            if (explicitVR)
            {
                vr = DicomVRInfo.Parse(span[4], span[5]);
                if (vr == DicomVR.None)
                    throw Error("InvalidVR", $"Element {tag} at offset {position} has VR bytes 0x{span[4]:X2}{span[5]:X2}, which name no DICOM VR.");
                if (DicomVRInfo.HasLongLength(vr))
                {
                    if (end - position < 12) throw Error("Truncated",
                        $"The header of element {tag} at offset {position} is cut off: the file is truncated.");
                    length = ReadUInt32(span[8..]);
                    header = 12;
                }
                else
                {
                    length = ReadUInt16(span[6..]);
                    header = 8;
                }
            }
            else
            {
                vr = DicomDictionary.VROf(tag);
                length = ReadUInt32(span[4..]);
                header = 8;
            }

            var valueStart = position + header;
            var parser = this;
            if (vr == DicomVR.UN && explicitVR)
            {
                // Writers that lacked a dictionary entry wrote UN; read the value as its real VR, as pydicom does.
                // The value of a UN-encoded sequence is Implicit VR Little Endian (PS3.5 6.2.2).
                var known = DicomDictionary.VROf(tag);
                if (known == DicomVR.SQ || length == Undefined) parser = new Parser(buffer, limit, false, false, maxDepth);
                if (known != DicomVR.UN || length == Undefined) vr = length == Undefined ? DicomVR.SQ : known;
            }
            if (length == Undefined)
            {
                if (vr == DicomVR.SQ || vr == DicomVR.UN)
                {
                    var items = new List<DicomDataset>();
                    var next = parser.ParseSequence(target, items, valueStart, end, definedEnd: -1, depth + 1);
                    target.Add(new DicomElement(tag, DicomVR.SQ, valueStart, next - valueStart, target.AddSequence(items)));
                    return next;
                }
                if (vr is DicomVR.OB or DicomVR.OW && tag == DicomTags.PixelData)
                {
                    var fragments = new List<Range>();
                    var next = ParseFragments(fragments, valueStart, end, tag);
                    target.Add(new DicomElement(tag, DicomVR.OB, valueStart, next - valueStart, target.AddFragments(fragments)));
                    return next;
                }
                throw Error("UndefinedLength",
                    $"Element {tag} {DicomDictionary.KeywordOf(tag)} ({DicomVRInfo.Name(vr)}) at offset {position} has undefined length, which " +
                    "only sequences and encapsulated pixel data may have.");
            }

            if (length > (uint)(end - valueStart))
                throw Error("LengthPastEnd",
                    $"Element {tag} {DicomDictionary.KeywordOf(tag)} at offset {position} claims {length} bytes but only {end - valueStart} " +
                    "remain: the file is truncated or corrupt.");
            var valueEnd = valueStart + (int)length;
            if (vr == DicomVR.SQ || (vr == DicomVR.UN && !explicitVR && StartsWithItem(valueStart, length)))
            {
                var items = new List<DicomDataset>();
                parser.ParseSequence(target, items, valueStart, valueEnd, definedEnd: valueEnd, depth + 1);
                target.Add(new DicomElement(tag, DicomVR.SQ, valueStart, (int)length, target.AddSequence(items)));
            }
            else
            {
                target.Add(new DicomElement(tag, vr, valueStart, (int)length));
            }
            return valueEnd;
        }

        private int ParseSequence(DicomDataset owner, List<DicomDataset> items, int position, int end, int definedEnd, int depth)
        {
            if (depth > maxDepth) throw Error("NestingTooDeep", $"Sequences are nested more than {maxDepth} levels deep at offset {position}.");
            var stop = definedEnd >= 0 ? definedEnd : end;
            while (position < stop)
            {
                if (stop - position < 8) throw Error("Truncated", $"A sequence item header at offset {position} is cut off: the file is truncated.");
                var span = buffer.AsSpan(position);
                var tag = new DicomTag(ReadUInt16(span), ReadUInt16(span[2..]));
                var length = ReadUInt32(span[4..]);
                position += 8;
                if (tag == DicomTag.SequenceDelimitation)
                {
                    if (definedEnd >= 0) throw Error("UnexpectedDelimiter",
                        $"Sequence delimiter inside a sequence of defined length at offset {position - 8}.");
                    return position;
                }
                if (tag != DicomTag.Item) throw Error("ExpectedItem", $"Found {tag} where a sequence item was expected at offset {position - 8}.");
                var item = new DicomDataset(buffer, bigEndian);
                if (length == Undefined)
                {
                    position = ParseItems(item, position, stop, untilDelimiter: true, depth);
                }
                else
                {
                    if (length > (uint)(stop - position))
                        throw Error("LengthPastEnd",
                            $"A sequence item at offset {position - 8} claims {length} bytes but only {stop - position} remain.");
                    ParseItems(item, position, position + (int)length, untilDelimiter: false, depth);
                    position += (int)length;
                }
                items.Add(item);
            }
            if (definedEnd < 0) throw Error("Truncated",
                "A sequence of undefined length is not closed by a sequence delimiter: the file is truncated.");
            return position;
        }

        private int ParseFragments(List<Range> fragments, int position, int end, DicomTag tag)
        {
            while (true)
            {
                if (end - position < 8) throw Error("Truncated",
                    $"Encapsulated {DicomDictionary.KeywordOf(tag)} is not closed by a sequence delimiter: the file is truncated.");
                var span = buffer.AsSpan(position);
                var itemTag = new DicomTag(ReadUInt16(span), ReadUInt16(span[2..]));
                var length = ReadUInt32(span[4..]);
                position += 8;
                if (itemTag == DicomTag.SequenceDelimitation) return position;
                if (itemTag != DicomTag.Item) throw Error("ExpectedItem",
                    $"Found {itemTag} where a pixel data fragment was expected at offset {position - 8}.");
                if (length > (uint)(end - position))
                    throw Error("LengthPastEnd",
                        $"A pixel data fragment at offset {position - 8} claims {length} bytes but only {end - position} remain.");
                fragments.Add(new Range(position, position + (int)length));
                position += (int)length;
            }
        }

        /// <summary>Private implicit-VR elements are sequences when their value starts with an item tag (as pydicom and dcmtk read them).</summary>
        private bool StartsWithItem(int valueStart, uint length) =>
            length >= 8 && ReadUInt16(buffer.AsSpan(valueStart)) == 0xFFFE && ReadUInt16(buffer.AsSpan(valueStart + 2)) == 0xE000;

        private ushort ReadUInt16(ReadOnlySpan<byte> s) => bigEndian ? BinaryPrimitives.ReadUInt16BigEndian(s)
            : BinaryPrimitives.ReadUInt16LittleEndian(s);
        private uint ReadUInt32(ReadOnlySpan<byte> s) => bigEndian ? BinaryPrimitives.ReadUInt32BigEndian(s)
            : BinaryPrimitives.ReadUInt32LittleEndian(s);
        private static DicomFormatException Error(string code, string message) => new(code, message);
    }
}
