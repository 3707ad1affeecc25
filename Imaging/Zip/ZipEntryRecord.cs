namespace InnerEye.Imaging.Zip;

/// <summary>One file of a zip as its central directory describes it (zip64 fields already applied).</summary>
public sealed record ZipEntryRecord(
    string Name,
    ushort Flags,
    ushort Method,
    uint Crc32,
    long CompressedSize,
    long UncompressedSize,
    long LocalHeaderOffset)
{
    public const ushort Stored = 0;
    public const ushort Deflated = 8;

    public bool IsDirectory => Name.EndsWith('/');

    public bool IsEncrypted => (Flags & 0x0001) != 0;

    /// <summary>Sizes and CRC follow the data in a descriptor; the local header holds zeros.</summary>
    public bool HasDataDescriptor => (Flags & 0x0008) != 0;
}
