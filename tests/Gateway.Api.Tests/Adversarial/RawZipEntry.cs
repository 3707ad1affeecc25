using System.IO.Compression;

namespace InnerEye.Gateway.Api.Tests.Adversarial;

/// <summary>
/// One entry of a zip written field by field. By default every header field is true to the data; each override puts
/// a chosen value in one field of the local header or of the central directory record instead.
/// </summary>
public sealed record RawZipEntry
{
    public const ushort Stored = 0, Deflated = 8;

    public required string Name { get; init; }

    /// <summary>The entry's content as it should inflate.</summary>
    public required byte[] Data { get; init; }

    public ushort Method { get; init; } = Deflated;

    /// <summary>The bytes written as the entry's data; null compresses <see cref="Data"/> with <see cref="Method"/>.</summary>
    public byte[]? Payload { get; init; }

    public uint? LocalCrc { get; init; }
    public uint? CentralCrc { get; init; }
    public uint? LocalCompressedSize { get; init; }
    public uint? CentralCompressedSize { get; init; }
    public uint? LocalUncompressedSize { get; init; }
    public uint? CentralUncompressedSize { get; init; }

    /// <summary>The bytes a true header describes: the data itself when stored, its raw deflate stream otherwise.</summary>
    public byte[] EncodedPayload() => Payload ?? (Method == Stored ? Data : Deflate(Data));

    public static byte[] Deflate(byte[] data)
    {
        using var buffer = new MemoryStream();
        using (var deflate = new DeflateStream(buffer, CompressionLevel.Optimal, leaveOpen: true)) deflate.Write(data);
        return buffer.ToArray();
    }

    /// <summary>Inflates a raw deflate stream; null when it is not a valid one.</summary>
    public static byte[]? TryInflate(byte[] payload, int limit)
    {
        try
        {
            using var inflate = new DeflateStream(new MemoryStream(payload), CompressionMode.Decompress);
            using var output = new MemoryStream();
            var chunk = new byte[8192];
            int read;
            while ((read = inflate.Read(chunk)) > 0)
            {
                output.Write(chunk, 0, read);
                if (output.Length > limit) return null;
            }
            return output.ToArray();
        }
        catch (InvalidDataException)
        {
            return null;
        }
    }
}
