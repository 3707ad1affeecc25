using System.IO.Compression;
using InnerEye.Imaging.Phantoms;
using InnerEye.Imaging.Tests.Support;

namespace InnerEye.Gateway.Api.Tests.Support;

/// <summary>
/// A phantom series as the InnerEye gateway sends it after anonymisation: Study, Series, Frame of Reference and SOP
/// Instance UIDs replaced by 64-digit hashes (no valid UID root) by pydicom (tests/tools/anonymise_like_gateway.py),
/// zipped as <c>ct/0</c>, <c>ct/1</c>, ….
/// </summary>
public static class GatewayScans
{
    public static (byte[] Zip, IReadOnlySet<string> HashedUids) Anonymised(int seed, int size, int slices)
    {
        using var dir = new TempDirectory();
        var phantom = ThoraxPhantom.Generate(new ThoraxPhantomOptions { Seed = seed, Rows = size, Columns = size, Slices = slices });
        var written = PhantomWriter.Write(phantom, dir.NewPath("phantom"), writeFolder: true, writeZip: false);
        var files = Directory.GetFiles(written.CtFolder!).Where(f => Path.GetFileName(f).All(char.IsAsciiDigit))
            .OrderBy(f => int.Parse(Path.GetFileName(f), System.Globalization.CultureInfo.InvariantCulture)).ToList();
        var (_, stdout, _) = ExternalProcess.Run(ExternalProcess.Python,
            [Path.Combine(ExternalProcess.ToolsDirectory, "anonymise_like_gateway.py"), .. files]);
        var uids = System.Text.Json.JsonSerializer.Deserialize<List<string>>(stdout)!.ToHashSet();
        using var zip = new MemoryStream();
        using (var archive = new ZipArchive(zip, ZipArchiveMode.Create, leaveOpen: true))
        {
            for (var i = 0; i < files.Count; i++) archive.CreateEntryFromFile(files[i], $"ct/{i}", CompressionLevel.Optimal);
        }
        return (zip.ToArray(), uids);
    }
}
