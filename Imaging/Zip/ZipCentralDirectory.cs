using System.Buffers.Binary;
using System.Text;

namespace InnerEye.Imaging.Zip;

/// <summary>
/// Reads a zip's end record (zip64 too) and its central directory, checking every count, size and offset against
/// the bytes the file really holds before anything is allocated for it: a directory that claims more entries than
/// <see cref="ZipLimits.MaxEntries"/>, or data that lies outside the file, is refused unread.
/// </summary>
public static class ZipCentralDirectory
{
    private const uint EndSignature = 0x06054b50;
    private const uint Zip64EndSignature = 0x06064b50;
    private const uint Zip64LocatorSignature = 0x07064b50;
    private const uint EntrySignature = 0x02014b50;
    private const int EndSize = 22;
    private const int Zip64LocatorSize = 20;
    private const int Zip64EndSize = 56;
    private const int EntryHeaderSize = 46;
    internal const int LocalHeaderSize = 30;

    /// <summary>The entries, in directory order, and where the directory starts (every entry's data lies before it).</summary>
    public static (IReadOnlyList<ZipEntryRecord> Entries, long DataEnd) Read(string path, ZipLimits limits)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        var length = file.Length;
        if (length < EndSize) throw ZipErrors.Invalid($"it is {length} bytes, too short to hold a zip's end record");

        var tail = new byte[(int)Math.Min(length, EndSize + ushort.MaxValue)];
        file.Position = length - tail.Length;
        file.ReadExactly(tail);
        var end = FindEnd(tail);
        var endOffset = length - tail.Length + end;
        var record = tail.AsSpan(end);

        long entryCount = BinaryPrimitives.ReadUInt16LittleEndian(record[10..]);
        long directorySize = BinaryPrimitives.ReadUInt32LittleEndian(record[12..]);
        long directoryOffset = BinaryPrimitives.ReadUInt32LittleEndian(record[16..]);
        var directoryLimit = endOffset;
        var usesZip64 = entryCount == ushort.MaxValue || directorySize == uint.MaxValue || directoryOffset == uint.MaxValue;
        if (usesZip64)
            (entryCount, directorySize, directoryOffset, directoryLimit) = ReadZip64End(file, endOffset);
        else if (BinaryPrimitives.ReadUInt16LittleEndian(record[4..]) != 0 || BinaryPrimitives.ReadUInt16LittleEndian(record[6..]) != 0 ||
                 BinaryPrimitives.ReadUInt16LittleEndian(record[8..]) != entryCount)
        {
            throw ZipErrors.Invalid("it spans several disks");
        }

        if (entryCount > limits.MaxEntries)
        {
            throw new ImagingException("TooManyEntries",
                $"The zip holds {entryCount} entries, more than the limit of {limits.MaxEntries} files in one upload.");
        }

        if (directoryOffset < 0 || directorySize < 0 || directoryOffset + directorySize > directoryLimit)
            throw ZipErrors.Invalid($"its central directory ({directorySize} bytes at offset {directoryOffset}) lies outside the file");
        if (directorySize < entryCount * EntryHeaderSize)
            throw ZipErrors.Invalid($"its central directory of {directorySize} bytes cannot hold the {entryCount} entries it claims");

        file.Position = directoryOffset;
        var entries = new List<ZipEntryRecord>((int)entryCount);
        var header = new byte[EntryHeaderSize];
        var consumed = 0L;
        for (var i = 0; i < entryCount; i++)
        {
            if (consumed + EntryHeaderSize > directorySize) throw ZipErrors.Invalid(
                $"its central directory ends inside entry {i + 1} of {entryCount}");
            file.ReadExactly(header);
            if (BinaryPrimitives.ReadUInt32LittleEndian(header) != EntrySignature)
                throw ZipErrors.Invalid($"central directory entry {i + 1} of {entryCount} has no entry signature");
            var nameLength = BinaryPrimitives.ReadUInt16LittleEndian(header.AsSpan(28));
            var extraLength = BinaryPrimitives.ReadUInt16LittleEndian(header.AsSpan(30));
            var commentLength = BinaryPrimitives.ReadUInt16LittleEndian(header.AsSpan(32));
            consumed += EntryHeaderSize + nameLength + extraLength + commentLength;
            if (consumed > directorySize) throw ZipErrors.Invalid($"central directory entry {i + 1} of {entryCount} runs past the directory's end");
            if (nameLength > limits.MaxNameBytes)
                throw ZipErrors.Invalid($"entry {i + 1} has a name of {nameLength} bytes, more than the limit of {limits.MaxNameBytes}");
            var flags = BinaryPrimitives.ReadUInt16LittleEndian(header.AsSpan(8));
            var nameBytes = new byte[nameLength];
            file.ReadExactly(nameBytes);
            var extra = new byte[extraLength];
            file.ReadExactly(extra);
            file.Seek(commentLength, SeekOrigin.Current);
            var name = DecodeName(nameBytes, flags);

            long compressed = BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(20));
            long uncompressed = BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(24));
            long offset = BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(42));
            if (uncompressed == uint.MaxValue || compressed == uint.MaxValue || offset == uint.MaxValue)
                (uncompressed, compressed, offset) = ApplyZip64(name, extra, uncompressed, compressed, offset);
            if (offset < 0 || compressed < 0 || uncompressed < 0 || offset + LocalHeaderSize + compressed > directoryOffset)
                throw ZipErrors.Corrupt(name, $"its {compressed} compressed bytes at offset {offset} do not lie before the central directory");
            entries.Add(new ZipEntryRecord(name, flags, BinaryPrimitives.ReadUInt16LittleEndian(header.AsSpan(10)),
                BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(16)), compressed, uncompressed, offset));
        }
        if (consumed != directorySize)
            throw ZipErrors.Invalid($"its central directory is {directorySize} bytes but its {entryCount} entries take {consumed}");
        return (entries, directoryOffset);
    }

    /// <summary>Entry names are UTF-8 when flag bit 11 says so, else code page 437, of which ASCII is all a gateway writes.</summary>
    internal static string DecodeName(ReadOnlySpan<byte> name, ushort flags) =>
        (flags & 0x0800) != 0 ? Encoding.UTF8.GetString(name) : Encoding.Latin1.GetString(name);

    /// <summary>The end record is the last thing in the file; a zip comment is all that may follow its fixed part.</summary>
    private static int FindEnd(ReadOnlySpan<byte> tail)
    {
        for (var i = tail.Length - EndSize; i >= 0; i--)
        {
            if (BinaryPrimitives.ReadUInt32LittleEndian(tail[i..]) == EndSignature &&
                i + EndSize + BinaryPrimitives.ReadUInt16LittleEndian(tail[(i + 20)..]) == tail.Length)
            {
                return i;
            }
        }
        throw ZipErrors.Invalid("it has no end of central directory record at its end (truncated, or not a zip)");
    }

    private static (long Entries, long Size, long Offset, long Limit) ReadZip64End(FileStream file, long endOffset)
    {
        if (endOffset < Zip64LocatorSize) throw ZipErrors.Invalid("its end record asks for zip64 fields, but there is no zip64 locator");
        var locator = new byte[Zip64LocatorSize];
        file.Position = endOffset - Zip64LocatorSize;
        file.ReadExactly(locator);
        if (BinaryPrimitives.ReadUInt32LittleEndian(locator) != Zip64LocatorSignature)
            throw ZipErrors.Invalid("its end record asks for zip64 fields, but there is no zip64 locator");
        var zip64End = BinaryPrimitives.ReadInt64LittleEndian(locator.AsSpan(8));
        if (BinaryPrimitives.ReadUInt32LittleEndian(locator.AsSpan(4)) != 0 || BinaryPrimitives.ReadUInt32LittleEndian(locator.AsSpan(16)) > 1)
            throw ZipErrors.Invalid("it spans several disks");
        if (zip64End < 0 || zip64End + Zip64EndSize > endOffset - Zip64LocatorSize)
            throw ZipErrors.Invalid($"its zip64 end record offset {zip64End} lies outside the file");
        var record = new byte[Zip64EndSize];
        file.Position = zip64End;
        file.ReadExactly(record);
        if (BinaryPrimitives.ReadUInt32LittleEndian(record) != Zip64EndSignature) throw ZipErrors.Invalid("its zip64 end record has no signature");
        var entries = BinaryPrimitives.ReadInt64LittleEndian(record.AsSpan(32));
        if (BinaryPrimitives.ReadUInt32LittleEndian(record.AsSpan(16)) != 0 || BinaryPrimitives.ReadUInt32LittleEndian(record.AsSpan(20)) != 0 ||
            BinaryPrimitives.ReadInt64LittleEndian(record.AsSpan(24)) != entries)
        {
            throw ZipErrors.Invalid("it spans several disks");
        }

        return (entries, BinaryPrimitives.ReadInt64LittleEndian(record.AsSpan(40)),
            BinaryPrimitives.ReadInt64LittleEndian(record.AsSpan(48)), zip64End);
    }

    /// <summary>The zip64 extra field holds, in this order, only the fields whose 32-bit value is all ones.</summary>
    private static (long Uncompressed, long Compressed, long Offset) ApplyZip64(string name, ReadOnlySpan<byte> extra, long uncompressed,
        long compressed, long offset)
    {
        if (!TryGetZip64Field(extra, out var field))
            throw ZipErrors.Corrupt(name, "its sizes are marked as zip64 but it has no zip64 extra field");
        var at = 0;
        if (uncompressed == uint.MaxValue) uncompressed = ReadZip64Value(name, field, ref at);
        if (compressed == uint.MaxValue) compressed = ReadZip64Value(name, field, ref at);
        if (offset == uint.MaxValue) offset = ReadZip64Value(name, field, ref at);
        return (uncompressed, compressed, offset);
    }

    private static long ReadZip64Value(string name, ReadOnlySpan<byte> field, ref int at)
    {
        if (at + 8 > field.Length) throw ZipErrors.Corrupt(name, "its zip64 extra field is too short for the sizes it must hold");
        var value = BinaryPrimitives.ReadInt64LittleEndian(field[at..]);
        at += 8;
        return value;
    }

    internal static bool TryGetZip64Field(ReadOnlySpan<byte> extra, out ReadOnlySpan<byte> field)
    {
        const ushort id = 0x0001;
        while (extra.Length >= 4)
        {
            var size = BinaryPrimitives.ReadUInt16LittleEndian(extra[2..]);
            if (4 + size > extra.Length) break;
            if (BinaryPrimitives.ReadUInt16LittleEndian(extra) == id)
            {
                field = extra.Slice(4, size);
                return true;
            }
            extra = extra[(4 + size)..];
        }
        field = default;
        return false;
    }
}
