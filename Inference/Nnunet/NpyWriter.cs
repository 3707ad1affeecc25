using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace InnerEye.Inference;

/// <summary>Writes numpy's <c>.npy</c> format (version 1.0, little-endian, C order), for arrays other tools compare.</summary>
public static class NpyWriter
{
    /// <summary>Writes float32 channels of equal length as one array of <paramref name="shape"/> (channel first).</summary>
    public static void WriteFloat32(string path, IReadOnlyList<float[]> channels, int[] shape)
    {
        ArgumentNullException.ThrowIfNull(channels);
        ArgumentNullException.ThrowIfNull(shape);
        using var file = File.Create(path);
        WriteHeader(file, "<f4", shape);
        var buffer = new byte[1 << 16];
        foreach (var channel in channels)
        {
            for (var i = 0; i < channel.Length;)
            {
                var n = Math.Min(buffer.Length / 4, channel.Length - i);
                for (var j = 0; j < n; j++) BinaryPrimitives.WriteSingleLittleEndian(buffer.AsSpan(j * 4), channel[i + j]);
                file.Write(buffer, 0, n * 4);
                i += n;
            }
        }
    }

    private static void WriteHeader(Stream stream, string descr, int[] shape)
    {
        var dims = shape.Length == 1 ? $"{shape[0]}," : string.Join(", ", shape.Select(s => s.ToString(CultureInfo.InvariantCulture)));
        var dict = $"{{'descr': '{descr}', 'fortran_order': False, 'shape': ({dims}), }}";
        // Magic (6) + version (2) + length (2) + dict + padding + newline is a multiple of 64.
        var total = (10 + dict.Length + 1 + 63) / 64 * 64;
        var header = dict.PadRight(total - 10 - 1) + "\n";
        stream.Write([0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0]);
        Span<byte> length = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16LittleEndian(length, (ushort)header.Length);
        stream.Write(length);
        stream.Write(Encoding.ASCII.GetBytes(header));
    }
}
