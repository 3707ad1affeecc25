using System.Buffers.Binary;
using System.Text;

namespace InnerEye.Gateway.Api.Tests.Adversarial;

/// <summary>Where the parts of a zip written by <see cref="RawZip.Write"/> lie.</summary>
public sealed record RawZipLayout(IReadOnlyList<int> LocalHeaders, IReadOnlyList<int> Payloads, IReadOnlyList<int> PayloadLengths,
    IReadOnlyList<int> CentralRecords, int CentralDirectory, int EndOfCentralDirectory);

/// <summary>
/// Writes a zip (PKWARE APPNOTE 4.3: local headers and data, central directory, end record) field by field, so that a
/// header may say what its data is not.
/// </summary>
public static class RawZip
{
    private const uint LocalSignature = 0x04034B50, CentralSignature = 0x02014B50, EndSignature = 0x06054B50;
    private const uint Zip64EndSignature = 0x06064B50, Zip64LocatorSignature = 0x07064B50;
    private const ushort Version = 20, Utf8Flag = 1 << 11;

    // 2000-01-01 00:00:00 in MS-DOS time and date.
    private const ushort DosTime = 0, DosDate = (20 << 9) | (1 << 5) | 1;

    public static byte[] Write(IReadOnlyList<RawZipEntry> entries) => Write(entries, out _);

    public static byte[] Write(IReadOnlyList<RawZipEntry> entries, out RawZipLayout layout)
    {
        using var output = new MemoryStream();
        var locals = new List<int>();
        var payloads = new List<int>();
        var lengths = new List<int>();
        var written = new List<(RawZipEntry Entry, byte[] Name, uint Crc, uint Size, int Offset)>();
        foreach (var entry in entries)
        {
            var name = Encoding.UTF8.GetBytes(entry.Name);
            var payload = entry.EncodedPayload();
            var crc = System.IO.Hashing.Crc32.HashToUInt32(entry.Data);
            locals.Add((int)output.Position);
            var header = new byte[30];
            BinaryPrimitives.WriteUInt32LittleEndian(header, LocalSignature);
            BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(4), Version);
            BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(6), Utf8Flag);
            BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(8), entry.Method);
            BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(10), DosTime);
            BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(12), DosDate);
            BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(14), entry.LocalCrc ?? crc);
            BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(18), entry.LocalCompressedSize ?? (uint)payload.Length);
            BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(22), entry.LocalUncompressedSize ?? (uint)entry.Data.Length);
            BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(26), (ushort)name.Length);
            output.Write(header);
            output.Write(name);
            payloads.Add((int)output.Position);
            lengths.Add(payload.Length);
            output.Write(payload);
            written.Add((entry, name, crc, (uint)payload.Length, locals[^1]));
        }

        var centralDirectory = (int)output.Position;
        var records = new List<int>();
        foreach (var (entry, name, crc, size, offset) in written)
        {
            records.Add((int)output.Position);
            var record = new byte[46];
            BinaryPrimitives.WriteUInt32LittleEndian(record, CentralSignature);
            BinaryPrimitives.WriteUInt16LittleEndian(record.AsSpan(4), Version);
            BinaryPrimitives.WriteUInt16LittleEndian(record.AsSpan(6), Version);
            BinaryPrimitives.WriteUInt16LittleEndian(record.AsSpan(8), Utf8Flag);
            BinaryPrimitives.WriteUInt16LittleEndian(record.AsSpan(10), entry.Method);
            BinaryPrimitives.WriteUInt16LittleEndian(record.AsSpan(12), DosTime);
            BinaryPrimitives.WriteUInt16LittleEndian(record.AsSpan(14), DosDate);
            BinaryPrimitives.WriteUInt32LittleEndian(record.AsSpan(16), entry.CentralCrc ?? crc);
            BinaryPrimitives.WriteUInt32LittleEndian(record.AsSpan(20), entry.CentralCompressedSize ?? size);
            BinaryPrimitives.WriteUInt32LittleEndian(record.AsSpan(24), entry.CentralUncompressedSize ?? (uint)entry.Data.Length);
            BinaryPrimitives.WriteUInt16LittleEndian(record.AsSpan(28), (ushort)name.Length);
            BinaryPrimitives.WriteUInt32LittleEndian(record.AsSpan(42), (uint)offset);
            output.Write(record);
            output.Write(name);
        }

        var end = (int)output.Position;
        if (written.Count >= ushort.MaxValue) WriteZip64End(output, written.Count, centralDirectory, end);
        var eocd = new byte[22];
        BinaryPrimitives.WriteUInt32LittleEndian(eocd, EndSignature);
        var count = (ushort)Math.Min(written.Count, ushort.MaxValue);
        BinaryPrimitives.WriteUInt16LittleEndian(eocd.AsSpan(8), count);
        BinaryPrimitives.WriteUInt16LittleEndian(eocd.AsSpan(10), count);
        BinaryPrimitives.WriteUInt32LittleEndian(eocd.AsSpan(12), (uint)(end - centralDirectory));
        BinaryPrimitives.WriteUInt32LittleEndian(eocd.AsSpan(16), (uint)centralDirectory);
        output.Write(eocd);
        layout = new RawZipLayout(locals, payloads, lengths, records, centralDirectory, end);
        return output.ToArray();
    }

    /// <summary>More entries than the end record's 16-bit count holds: the Zip64 end record and its locator carry them.</summary>
    private static void WriteZip64End(MemoryStream output, int count, int centralDirectory, int centralDirectoryEnd)
    {
        var record = new byte[56];
        BinaryPrimitives.WriteUInt32LittleEndian(record, Zip64EndSignature);
        BinaryPrimitives.WriteUInt64LittleEndian(record.AsSpan(4), 44);
        BinaryPrimitives.WriteUInt16LittleEndian(record.AsSpan(12), 45);
        BinaryPrimitives.WriteUInt16LittleEndian(record.AsSpan(14), 45);
        BinaryPrimitives.WriteUInt64LittleEndian(record.AsSpan(24), (ulong)count);
        BinaryPrimitives.WriteUInt64LittleEndian(record.AsSpan(32), (ulong)count);
        BinaryPrimitives.WriteUInt64LittleEndian(record.AsSpan(40), (ulong)(centralDirectoryEnd - centralDirectory));
        BinaryPrimitives.WriteUInt64LittleEndian(record.AsSpan(48), (ulong)centralDirectory);
        var locator = new byte[20];
        BinaryPrimitives.WriteUInt32LittleEndian(locator, Zip64LocatorSignature);
        BinaryPrimitives.WriteUInt64LittleEndian(locator.AsSpan(8), (ulong)output.Position);
        BinaryPrimitives.WriteUInt32LittleEndian(locator.AsSpan(16), 1);
        output.Write(record);
        output.Write(locator);
    }
}
