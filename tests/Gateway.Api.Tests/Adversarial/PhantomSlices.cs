using InnerEye.Imaging.Phantoms;
using InnerEye.Imaging.Tests.Support;

namespace InnerEye.Gateway.Api.Tests.Adversarial;

/// <summary>A small phantom CT series (Explicit VR Little Endian files named <c>ct/0</c> … in the gateway layout) and the zip PhantomWriter makes
/// of it.</summary>
public sealed record PhantomSlices(IReadOnlyList<(string Name, byte[] Bytes)> Files, byte[] WriterZip)
{
    public const int Size = 32, Slices = 8;

    /// <summary>Bytes at the end of each file that hold its pixels (Size × Size signed 16-bit values).</summary>
    public const int PixelBytes = Size * Size * 2;

    public static PhantomSlices Generate(int seed)
    {
        using var dir = new TempDirectory();
        var phantom = ThoraxPhantom.Generate(new ThoraxPhantomOptions { Seed = seed, Rows = Size, Columns = Size, Slices = Slices });
        var written = PhantomWriter.Write(phantom, dir.Combine("phantom"), writeFolder: true, writeZip: true);
        var files = Enumerable.Range(0, Slices)
            .Select(i => ($"ct/{i}", File.ReadAllBytes(Path.Combine(written.CtFolder!,
                i.ToString(System.Globalization.CultureInfo.InvariantCulture)))))
            .ToList();
        return new PhantomSlices(files, File.ReadAllBytes(written.Zip!));
    }

    /// <summary>The series as raw zip entries, all deflated or all stored.</summary>
    public List<RawZipEntry> Entries(ushort method = RawZipEntry.Deflated) =>
        [.. Files.Select(f => new RawZipEntry { Name = f.Name, Data = f.Bytes, Method = method })];
}
