using System.Buffers.Binary;
using System.IO.Compression;
using InnerEye.Imaging.Series;
using InnerEye.Imaging.Zip;

namespace InnerEye.Imaging.Tests.Zip;

/// <summary>Zips of known content, the reader's view of them, and byte-level edits of their headers.</summary>
internal static class ZipFixtures
{
    public static readonly byte[] Noise = MakeNoise(100_000, seed: 7);

    /// <summary>Compressible content, so that deflate runs long back-references.</summary>
    public static readonly byte[] Pattern = Enumerable.Range(0, 300_000).Select(i => (byte)(i % 251 ^ i / 4096)).ToArray();

    public static readonly (string Name, byte[] Data)[] Files = [("ct/0", Noise), ("ct/1", Pattern), ("ct/2", Pattern[..1000])];

    public static byte[] MakeNoise(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    public static string WriteDotNetZip(string path, CompressionLevel level, IEnumerable<(string Name, byte[] Data)>? files = null)
    {
        using var archive = ZipFile.Open(path, ZipArchiveMode.Create);
        foreach (var (name, data) in files ?? Files)
        {
            using var entry = archive.CreateEntry(name, level).Open();
            entry.Write(data);
        }
        return path;
    }

    public static string WriteFolder(string folder)
    {
        foreach (var (name, data) in Files)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(folder, name))!);
            File.WriteAllBytes(Path.Combine(folder, name), data);
        }
        return folder;
    }

    /// <summary>Every entry's name and bytes, as the series source hands them on.</summary>
    public static List<(string Name, byte[] Data)> ReadAll(string zip, SeriesLoadOptions? options = null)
    {
        var source = new ZipSeriesSource(zip, options ?? SeriesLoadOptions.Default);
        var read = new List<(string, byte[])>();
        source.Read(0, source.Entries.Count, (i, buffer, length) => read.Add((source.Entries[i].Name, buffer[..length])));
        return read;
    }

    public static ImagingException ReadFails(string zip, SeriesLoadOptions? options = null) =>
        Assert.ThrowsAny<ImagingException>(() => ReadAll(zip, options));

    /// <summary>Offsets of the zip's records: each entry's local header and central directory entry.</summary>
    public static (long[] Local, long[] Central) Layout(byte[] zip, string path)
    {
        var (entries, directory) = ZipCentralDirectory.Read(path, ZipLimits.Default);
        var central = new long[entries.Count];
        var at = directory;
        for (var i = 0; i < entries.Count; i++)
        {
            central[i] = at;
            var span = zip.AsSpan((int)at);
            at += 46 + BinaryPrimitives.ReadUInt16LittleEndian(span[28..]) + BinaryPrimitives.ReadUInt16LittleEndian(span[30..]) +
                  BinaryPrimitives.ReadUInt16LittleEndian(span[32..]);
        }
        return (entries.Select(e => e.LocalHeaderOffset).ToArray(), central);
    }

    public static long DataStart(byte[] zip, long localHeader)
    {
        var span = zip.AsSpan((int)localHeader);
        return localHeader + 30 + BinaryPrimitives.ReadUInt16LittleEndian(span[26..]) + BinaryPrimitives.ReadUInt16LittleEndian(span[28..]);
    }

    public static void Write32(byte[] zip, long offset, uint value) => BinaryPrimitives.WriteUInt32LittleEndian(zip.AsSpan((int)offset), value);

    public static void Write16(byte[] zip, long offset, ushort value) => BinaryPrimitives.WriteUInt16LittleEndian(zip.AsSpan((int)offset), value);

    public static uint Read32(byte[] zip, long offset) => BinaryPrimitives.ReadUInt32LittleEndian(zip.AsSpan((int)offset));
}
