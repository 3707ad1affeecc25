using System.Buffers.Binary;

namespace InnerEye.Gateway.Api.Tests.Adversarial;

/// <summary>Seeded byte and length mutations of one DICOM file, each named by what it did.</summary>
public static class DicomMutator
{
    public static readonly string[] Kinds = ["bytes", "truncate", "length", "insert", "delete", "tail-flips"];

    private static readonly uint[] Lengths = [0xFFFFFFFF, 0xFFFFFFFE, 0x7FFFFFFF, 0x80000000, 0x40000000, 0];

    /// <summary>Mutation <paramref name="kind"/> (one of <see cref="Kinds"/>) of <paramref name="original"/>; never the original bytes.</summary>
    public static byte[] Mutate(byte[] original, string kind, Random random)
    {
        for (var attempt = 0; attempt < 16; attempt++)
        {
            var mutated = Once(original, kind, random);
            if (!mutated.AsSpan().SequenceEqual(original)) return mutated;
        }
        throw new InvalidOperationException($"Mutation '{kind}' left the file as it was 16 times.");
    }

    private static byte[] Once(byte[] original, string kind, Random random)
    {
        var data = (byte[])original.Clone();
        switch (kind)
        {
            case "bytes":
                for (var i = random.Next(1, 8); i > 0; i--) data[random.Next(132, data.Length)] = (byte)random.Next(256);
                return data;
            case "truncate":
                return data[..random.Next(1, data.Length)];
            case "length":
            {
                // A 32-bit length (or value) anywhere after the preamble: huge, undefined, zero.
                var at = random.Next(132, data.Length - 4);
                BinaryPrimitives.WriteUInt32LittleEndian(data.AsSpan(at), random.Next(3) == 0
                    ? (uint)random.Next() : Lengths[random.Next(Lengths.Length)]);
                return data;
            }
            case "insert":
            {
                var at = random.Next(132, data.Length);
                var insert = new byte[random.Next(1, 16)];
                random.NextBytes(insert);
                return [.. data[..at], .. insert, .. data[at..]];
            }
            case "delete":
            {
                var at = random.Next(132, data.Length - 1);
                var count = random.Next(1, Math.Min(64, data.Length - at) + 1);
                return [.. data[..at], .. data[(at + count)..]];
            }
            case "tail-flips":
            {
                // Pixel data and codec headers sit in the last 2 KiB.
                var from = Math.Max(132, data.Length - 2048);
                for (var i = random.Next(1, 8); i > 0; i--) data[random.Next(from, data.Length)] ^= (byte)(1 << random.Next(8));
                return data;
            }
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown mutation.");
        }
    }
}
