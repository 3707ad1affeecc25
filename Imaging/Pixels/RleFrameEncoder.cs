using System.Buffers.Binary;

namespace InnerEye.Imaging.Pixels;

/// <summary>
/// RLE Lossless (PS3.5 Annex G) for one frame of 8- or 16-bit single-sample pixels: a 64-byte header (segment count and
/// offsets), then one PackBits segment per byte plane (the most significant first), each row encoded on its own and
/// each segment padded to even length with a no-op (−128).
/// </summary>
public static class RleFrameEncoder
{
    private const int HeaderLength = 64;

    /// <param name="frame">Rows × columns samples, little endian for 16 bits.</param>
    public static byte[] Encode(ReadOnlySpan<byte> frame, int rows, int columns, int bitsAllocated)
    {
        if (bitsAllocated is not (8 or 16)) throw new ArgumentOutOfRangeException(nameof(bitsAllocated), "RLE frames of 8 or 16 bits only.");
        var planes = bitsAllocated / 8;
        if (frame.Length != rows * columns * planes) throw new ArgumentException("The frame is not rows × columns samples.", nameof(frame));
        using var output = new MemoryStream(HeaderLength + frame.Length / 8 + 64);
        output.Write(new byte[HeaderLength]);
        var offsets = new uint[planes];
        var row = new byte[columns];
        for (var plane = 0; plane < planes; plane++)
        {
            offsets[plane] = (uint)output.Position;
            // Byte planes go most significant first; in little-endian samples that is the last byte of each.
            var byteIndex = planes - 1 - plane;
            for (var r = 0; r < rows; r++)
            {
                for (var c = 0; c < columns; c++) row[c] = frame[(r * columns + c) * planes + byteIndex];
                PackRow(row, output);
            }
            if (output.Position % 2 == 1) output.WriteByte(0x80);
        }
        var bytes = output.ToArray();
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, (uint)planes);
        for (var i = 0; i < planes; i++) BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(4 + 4 * i), offsets[i]);
        return bytes;
    }

    /// <summary>PackBits: a run of 2–128 equal bytes as (1 − n, byte), other bytes as literals of up to 128 (n − 1, bytes).</summary>
    private static void PackRow(ReadOnlySpan<byte> row, Stream output)
    {
        var i = 0;
        while (i < row.Length)
        {
            var run = 1;
            while (i + run < row.Length && run < 128 && row[i + run] == row[i]) run++;
            if (run >= 2)
            {
                output.WriteByte((byte)(1 - run));
                output.WriteByte(row[i]);
                i += run;
                continue;
            }
            var start = i;
            while (i < row.Length && i - start < 128 && !(i + 1 < row.Length && row[i] == row[i + 1])) i++;
            output.WriteByte((byte)(i - start - 1));
            output.Write(row[start..i]);
        }
    }
}
