using System.Buffers.Binary;
using System.IO.Compression;
using System.IO.Hashing;
using Microsoft.Win32.SafeHandles;

namespace InnerEye.Imaging.Zip;

/// <summary>
/// Reads entries of one zip on one thread, into buffers it reuses. Each entry's local header must agree with the
/// central directory (name, method, and CRC and sizes unless a data descriptor carries them, which must then agree);
/// deflated data is inflated into a buffer that grows only as inflated bytes arrive, never past the size the directory
/// declares; the result must be exactly that size and have the declared CRC-32. Any difference is a
/// <c>CorruptEntry</c> error naming the entry: damaged data is never handed on.
/// </summary>
public sealed class ZipEntryReader(SafeFileHandle file, long dataEnd)
{
    private const uint LocalSignature = 0x04034b50;
    private const uint DescriptorSignature = 0x08074b50;

    /// <summary>Deflate cannot produce more than about 1032 bytes from one compressed byte.</summary>
    private const long MaxDeflateRatio = 1032;

    private const int MinimumOutput = 1 << 16;

    private byte[] _compressed = [];
    private byte[] _output = [];

    /// <summary>The entry's bytes: the first <c>Length</c> bytes of a buffer that the next call reuses.</summary>
    public (byte[] Buffer, int Length) Read(ZipEntryRecord entry)
    {
        if (entry.IsEncrypted) throw ZipErrors.Unsupported(entry.Name, "is encrypted");
        if (entry.Method is not (ZipEntryRecord.Stored or ZipEntryRecord.Deflated))
            throw ZipErrors.Unsupported(entry.Name, $"uses compression method {entry.Method}");
        if (entry.UncompressedSize > Array.MaxLength)
            throw new ImagingException("EntryTooLarge",
                $"Zip entry '{entry.Name}' declares {entry.UncompressedSize} bytes, more than one file may hold.");
        if (entry.Method == ZipEntryRecord.Stored && entry.CompressedSize != entry.UncompressedSize)
            throw ZipErrors.Corrupt(entry.Name,
                $"it is stored, yet declares {entry.CompressedSize} stored and {entry.UncompressedSize} original bytes");
        if (entry.Method == ZipEntryRecord.Deflated && entry.UncompressedSize > entry.CompressedSize * MaxDeflateRatio + 1024)
        {
            throw ZipErrors.Corrupt(entry.Name,
                $"it declares {entry.UncompressedSize} bytes from {entry.CompressedSize} compressed bytes, more than deflate can produce");
        }

        var dataStart = ReadLocalHeader(entry);
        var length = (int)entry.UncompressedSize;
        if (entry.Method == ZipEntryRecord.Stored)
        {
            // Stored bytes are really in the file (checked against its length), so a buffer of their size is justified.
            Grow(ref _output, length);
            ReadAt(_output.AsSpan(0, length), dataStart, entry);
        }
        else
        {
            Grow(ref _compressed, (int)entry.CompressedSize);
            ReadAt(_compressed.AsSpan(0, (int)entry.CompressedSize), dataStart, entry);
            Inflate(entry, length);
        }

        var crc = Crc32.HashToUInt32(_output.AsSpan(0, length));
        if (entry.HasDataDescriptor) CheckDescriptor(entry, dataStart + entry.CompressedSize);
        if (crc != entry.Crc32)
            throw ZipErrors.Corrupt(entry.Name, $"its data has CRC-32 {crc:x8} but the zip records {entry.Crc32:x8}");
        return (_output, length);
    }

    private void Inflate(ZipEntryRecord entry, int length)
    {
        if (_output.Length < Math.Min(length, MinimumOutput)) _output = new byte[Math.Min(length, Math.Max(MinimumOutput, _output.Length * 2))];
        using var input = new MemoryStream(_compressed, 0, (int)entry.CompressedSize, writable: false);
        using var inflater = new DeflateStream(input, CompressionMode.Decompress);
        var filled = 0;
        try
        {
            while (filled < length)
            {
                if (filled == _output.Length)
                {
                    // Grow only once the bytes so far have really been produced.
                    var larger = new byte[(int)Math.Min(length, Math.Max((long)_output.Length * 2, MinimumOutput))];
                    _output.AsSpan(0, filled).CopyTo(larger);
                    _output = larger;
                }
                var n = inflater.Read(_output, filled, Math.Min(_output.Length, length) - filled);
                if (n == 0) throw ZipErrors.Corrupt(entry.Name, $"it inflates to {filled} bytes, not the {length} its header declares");
                filled += n;
            }
            Span<byte> probe = stackalloc byte[1];
            if (inflater.Read(probe) != 0)
                throw ZipErrors.Corrupt(entry.Name, $"it inflates to more than the {length} bytes its header declares");
        }
        catch (InvalidDataException e)
        {
            throw ZipErrors.Corrupt(entry.Name, $"its deflate stream is broken ({e.Message})");
        }
    }

    /// <summary>Checks the local header against the directory; returns where the entry's data starts.</summary>
    private long ReadLocalHeader(ZipEntryRecord entry)
    {
        Span<byte> header = stackalloc byte[ZipCentralDirectory.LocalHeaderSize];
        ReadAt(header, entry.LocalHeaderOffset, entry);
        if (BinaryPrimitives.ReadUInt32LittleEndian(header) != LocalSignature)
            throw ZipErrors.Corrupt(entry.Name, $"there is no local header at offset {entry.LocalHeaderOffset}");
        var flags = BinaryPrimitives.ReadUInt16LittleEndian(header[6..]);
        var method = BinaryPrimitives.ReadUInt16LittleEndian(header[8..]);
        var crc = BinaryPrimitives.ReadUInt32LittleEndian(header[14..]);
        long compressed = BinaryPrimitives.ReadUInt32LittleEndian(header[18..]);
        long uncompressed = BinaryPrimitives.ReadUInt32LittleEndian(header[22..]);
        var nameLength = BinaryPrimitives.ReadUInt16LittleEndian(header[26..]);
        var extraLength = BinaryPrimitives.ReadUInt16LittleEndian(header[28..]);
        var dataStart = entry.LocalHeaderOffset + ZipCentralDirectory.LocalHeaderSize + nameLength + extraLength;
        if (dataStart + entry.CompressedSize > dataEnd)
            throw ZipErrors.Corrupt(entry.Name, "its data runs into the central directory");

        var nameAndExtra = new byte[nameLength + extraLength];
        ReadAt(nameAndExtra, entry.LocalHeaderOffset + ZipCentralDirectory.LocalHeaderSize, entry);
        var localName = ZipCentralDirectory.DecodeName(nameAndExtra.AsSpan(0, nameLength), flags);
        if (localName != entry.Name) throw ZipErrors.Corrupt(entry.Name, $"its local header names it '{localName}'");
        if (method != entry.Method) throw ZipErrors.Corrupt(entry.Name, $"its local header says method {method}, the directory {entry.Method}");
        if ((flags & 0x0001) != (entry.Flags & 0x0001)) throw ZipErrors.Corrupt(entry.Name,
            "its local header and the directory disagree on encryption");
        if ((flags & 0x0008) != 0) return dataStart;

        if ((compressed == uint.MaxValue || uncompressed == uint.MaxValue) &&
            ZipCentralDirectory.TryGetZip64Field(nameAndExtra.AsSpan(nameLength), out var zip64) && zip64.Length >= 16)
        {
            // A local zip64 field holds both sizes, original first.
            uncompressed = BinaryPrimitives.ReadInt64LittleEndian(zip64);
            compressed = BinaryPrimitives.ReadInt64LittleEndian(zip64[8..]);
        }
        if (crc != entry.Crc32 || compressed != entry.CompressedSize || uncompressed != entry.UncompressedSize)
        {
            throw ZipErrors.Corrupt(entry.Name,
                $"its local header says CRC-32 {crc:x8}, {compressed} compressed and {uncompressed} bytes, but the directory says " +
                $"{entry.Crc32:x8}, {entry.CompressedSize} and {entry.UncompressedSize}");
        }

        return dataStart;
    }

    /// <summary>A data descriptor (optional signature, CRC, then 4- or 8-byte sizes) must repeat the directory's values.</summary>
    private void CheckDescriptor(ZipEntryRecord entry, long at)
    {
        Span<byte> descriptor = stackalloc byte[24];
        var available = (int)Math.Min(descriptor.Length, dataEnd - at);
        if (available < 12) throw ZipErrors.Corrupt(entry.Name, "its data descriptor is missing");
        descriptor = descriptor[..available];
        ReadAt(descriptor, at, entry);
        if (BinaryPrimitives.ReadUInt32LittleEndian(descriptor) == DescriptorSignature) descriptor = descriptor[4..];
        if (BinaryPrimitives.ReadUInt32LittleEndian(descriptor) != entry.Crc32)
            throw ZipErrors.Corrupt(entry.Name,
                $"its data descriptor says CRC-32 {BinaryPrimitives.ReadUInt32LittleEndian(descriptor):x8}, the directory {entry.Crc32:x8}");
    }

    private void ReadAt(Span<byte> target, long offset, ZipEntryRecord entry)
    {
        var done = 0;
        while (done < target.Length)
        {
            var n = RandomAccess.Read(file, target[done..], offset + done);
            if (n == 0) throw ZipErrors.Corrupt(entry.Name, "the file ends inside it");
            done += n;
        }
    }

    private static void Grow(ref byte[] buffer, int length)
    {
        if (buffer.Length < length) buffer = new byte[length];
    }
}
