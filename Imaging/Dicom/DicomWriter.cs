using System.Buffers.Binary;

namespace InnerEye.Imaging.Dicom;

/// <summary>
/// Writes DICOM Part 10 files (PS3.10 section 7): a 128-byte zero preamble, "DICM", the file meta information group in
/// Explicit VR Little Endian with its group length, then the data set in Implicit VR Little Endian (the default) or
/// Explicit VR Little Endian. Sequences and items always have defined lengths (no delimitation items), elements are
/// written in ascending tag order, and nothing follows the last element.
/// </summary>
public static class DicomWriter
{
    /// <summary>This library's implementation class UID: a UUID-derived UID (PS3.5 B.2) fixed for the project.</summary>
    public const string ImplementationClassUid = "2.25.192186264353496414499011689624736300157";

    /// <summary>ImplementationVersionName (SH, at most 16 characters).</summary>
    public const string ImplementationVersionName = "INNEREYE_1";

    private const int PreambleLength = 128;

    /// <summary>
    /// Writes a Part 10 file. MediaStorageSOPClassUID and MediaStorageSOPInstanceUID are taken from the data set's
    /// SOPClassUID and SOPInstanceUID, which must be present.
    /// </summary>
    public static void WriteFile(Stream output, DicomDatasetBuilder dataset, TransferSyntax? transferSyntax = null)
    {
        ArgumentNullException.ThrowIfNull(output);
        var syntax = Check(transferSyntax);
        var meta = BuildMeta(dataset, syntax);
        var lengths = new Dictionary<DicomDatasetBuilder, long>(ReferenceEqualityComparer.Instance);
        var metaLength = ContentLength(meta, explicitVR: true, lengths);
        var sink = output;
        sink.Write(new byte[PreambleLength]);
        sink.Write("DICM"u8);
        WriteHeader(sink, DicomTags.FileMetaInformationGroupLength, DicomVR.UL, 4, explicitVR: true);
        Span<byte> groupLength = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(groupLength, checked((uint)metaLength));
        sink.Write(groupLength);
        WriteContent(sink, meta, explicitVR: true, lengths);
        WriteContent(sink, dataset, syntax.ExplicitVR, lengths);
    }

    /// <summary>Writes a Part 10 file into a new array of exactly the file's length.</summary>
    public static byte[] WriteFile(DicomDatasetBuilder dataset, TransferSyntax? transferSyntax = null)
    {
        var length = FileLength(dataset, transferSyntax);
        var bytes = new byte[checked((int)length)];
        using var stream = new MemoryStream(bytes, writable: true);
        WriteFile(stream, dataset, transferSyntax);
        if (stream.Position != bytes.Length) throw new InvalidOperationException(
            $"Wrote {stream.Position} bytes where {bytes.Length} were measured.");
        return bytes;
    }

    /// <summary>The number of bytes <see cref="WriteFile(Stream, DicomDatasetBuilder, TransferSyntax?)"/> writes.</summary>
    public static long FileLength(DicomDatasetBuilder dataset, TransferSyntax? transferSyntax = null)
    {
        var syntax = Check(transferSyntax);
        var lengths = new Dictionary<DicomDatasetBuilder, long>(ReferenceEqualityComparer.Instance);
        return PreambleLength + 4 + 12 + ContentLength(BuildMeta(dataset, syntax), true, lengths)
            + ContentLength(dataset, syntax.ExplicitVR, lengths);
    }

    /// <summary>Writes a bare data set (no preamble or file meta information), as it appears inside a Part 10 file.</summary>
    public static void WriteDataset(Stream output, DicomDatasetBuilder dataset, TransferSyntax? transferSyntax = null)
    {
        var syntax = Check(transferSyntax);
        var sink = output;
        WriteContent(sink, dataset, syntax.ExplicitVR, new Dictionary<DicomDatasetBuilder, long>(ReferenceEqualityComparer.Instance));
    }

    private static TransferSyntax Check(TransferSyntax? syntax)
    {
        syntax ??= TransferSyntax.ImplicitVRLittleEndian;
        if (syntax.Uid != TransferSyntax.ImplicitVRLittleEndian.Uid && syntax.Uid != TransferSyntax.ExplicitVRLittleEndian.Uid &&
            syntax.Uid != TransferSyntax.RleLossless.Uid)
        {
            throw new NotSupportedException($"Writing {syntax.Name} is not supported; use Implicit or Explicit VR Little Endian, or RLE Lossless " +
                "with encapsulated pixel data.");
        }
        return syntax;
    }

    private static DicomDatasetBuilder BuildMeta(DicomDatasetBuilder dataset, TransferSyntax syntax)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        var sopClass = dataset.GetString(DicomTags.SOPClassUID);
        var sopInstance = dataset.GetString(DicomTags.SOPInstanceUID);
        if (string.IsNullOrEmpty(sopClass) || string.IsNullOrEmpty(sopInstance))
            throw new InvalidOperationException("The data set needs SOPClassUID and SOPInstanceUID to be written as a Part 10 file.");
        return new DicomDatasetBuilder()
            .AddBytes(DicomTags.FileMetaInformationVersion, DicomVR.OB, new byte[] { 0x00, 0x01 })
            .Add(DicomTags.MediaStorageSOPClassUID, DicomVR.UI, sopClass)
            .Add(DicomTags.MediaStorageSOPInstanceUID, DicomVR.UI, sopInstance)
            .Add(DicomTags.TransferSyntaxUID, DicomVR.UI, syntax.Uid)
            .Add(DicomTags.ImplementationClassUID, DicomVR.UI, ImplementationClassUid)
            .Add(DicomTags.ImplementationVersionName, DicomVR.SH, ImplementationVersionName);
    }

    private static int HeaderLength(DicomVR vr, bool explicitVR) => explicitVR && DicomVRInfo.HasLongLength(vr) ? 12 : 8;

    /// <summary>The encoded length of a data set's elements (an item's value length); cached per builder.</summary>
    private static long ContentLength(DicomDatasetBuilder dataset, bool explicitVR, Dictionary<DicomDatasetBuilder, long> lengths)
    {
        if (lengths.TryGetValue(dataset, out var known)) return known;
        long total = 0;
        foreach (var e in dataset.SortedEntries())
        {
            total += HeaderLength(e.VR, explicitVR) + ValueLength(e, explicitVR, lengths);
        }
        lengths[dataset] = total;
        return total;
    }

    private static long ValueLength(in DicomDatasetBuilder.Entry e, bool explicitVR, Dictionary<DicomDatasetBuilder, long> lengths)
    {
        if (e.Items is null) return e.ValueLength;
        long total = 0;
        foreach (var item in e.Items) total += 8 + ContentLength(item, explicitVR, lengths);
        return total;
    }

    private static void WriteContent(Stream sink, DicomDatasetBuilder dataset, bool explicitVR, Dictionary<DicomDatasetBuilder, long> lengths)
    {
        var entries = dataset.SortedEntries();
        for (var i = 1; i < entries.Count; i++)
        {
            if (entries[i - 1].Tag.Value >= entries[i].Tag.Value)
                throw new InvalidOperationException($"Elements out of order: {entries[i - 1].Tag} before {entries[i].Tag}.");
        }
        Span<byte> pad = stackalloc byte[1];
        foreach (var e in entries)
        {
            var length = ValueLength(e, explicitVR, lengths);
            WriteHeader(sink, e.Tag, e.VR, e.UndefinedLength ? uint.MaxValue : length, explicitVR);
            if (e.Items is null)
            {
                sink.Write(e.Value.Span);
                if (e.Pad is { } p)
                {
                    pad[0] = p;
                    sink.Write(pad);
                }
                continue;
            }
            foreach (var item in e.Items)
            {
                WriteHeader(sink, DicomTag.Item, DicomVR.None, ContentLength(item, explicitVR, lengths), explicitVR: false);
                WriteContent(sink, item, explicitVR, lengths);
            }
        }
    }

    private static void WriteHeader(Stream sink, DicomTag tag, DicomVR vr, long length, bool explicitVR)
    {
        if (length > uint.MaxValue) throw new InvalidOperationException($"Element {tag} is {length} bytes, more than a defined length can hold.");
        Span<byte> header = stackalloc byte[12];
        BinaryPrimitives.WriteUInt16LittleEndian(header, tag.Group);
        BinaryPrimitives.WriteUInt16LittleEndian(header[2..], tag.Element);
        if (!explicitVR || vr == DicomVR.None)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(header[4..], (uint)length);
            sink.Write(header[..8]);
            return;
        }
        header[4] = (byte)((ushort)vr >> 8);
        header[5] = (byte)vr;
        if (DicomVRInfo.HasLongLength(vr))
        {
            header[6] = header[7] = 0;
            BinaryPrimitives.WriteUInt32LittleEndian(header[8..], (uint)length);
            sink.Write(header);
            return;
        }
        if (length > ushort.MaxValue)
            throw new InvalidOperationException(
                $"Element {tag} {DicomDictionary.KeywordOf(tag)} is {length} bytes, too long for VR {DicomVRInfo.Name(vr)} in explicit VR; " +
                "write implicit VR.");
        BinaryPrimitives.WriteUInt16LittleEndian(header[6..], (ushort)length);
        sink.Write(header[..8]);
    }
}
