using System.Text.Json;
using InnerEye.Imaging.Phantoms;
using InnerEye.Imaging.Seg;
using InnerEye.Imaging.Series;
using InnerEye.Imaging.Tests.Rt;
using InnerEye.Imaging.Tests.Support;

namespace InnerEye.Imaging.Tests.Seg;

/// <summary>A source series with a label volume on its grid and the segments the labels stand for.</summary>
public sealed record SegCase(string Kind, LoadedSeries Series, byte[] Labels, SegSegment[] Segments, string CtFolder);

/// <summary>
/// The series the SEG tests write from, built once: small thorax phantoms head first and feet first (the phantom's
/// labels plus a "Liver" segment that is never drawn), and an oblique synthetic CT whose 41×33 slices make frames that
/// end inside a byte, with the RT tests' shapes (one structure never drawn).
/// </summary>
public sealed class SegFixture : IDisposable
{
    public static readonly ThoraxPhantomOptions Phantom = new() { Seed = 7, Rows = 96, Columns = 80, Slices = 16, ColumnSpacing = 4, RowSpacing = 4,
        SliceSpacing = 5 };

    private readonly TempDirectory _temp = new();
    private readonly Dictionary<string, SegCase> _cases = [];

    public string Folder => _temp.Path;

    public SegCase Get(string kind)
    {
        lock (_cases)
        {
            if (!_cases.TryGetValue(kind, out var c)) _cases[kind] = c = Make(kind);
            return c;
        }
    }

    private SegCase Make(string kind)
    {
        var folder = _temp.NewPath(kind);
        if (kind == "oblique")
        {
            var spec = RtTestData.Spec("oblique") with { Columns = 41, Rows = 33, Slices = 7 };
            var series = SyntheticCtSeries.WriteAndLoad(spec, folder);
            var segments = RtTestData.Structures.Select(s => new SegSegment(s.Name, s.R, s.G, s.B)).ToArray();
            return new SegCase(kind, series, RtTestData.Labels(series.Volume), segments, Path.Combine(folder, "ct"));
        }
        var phantom = ThoraxPhantom.Generate(Phantom with { FeetFirst = kind == "feet-first" });
        PhantomWriter.Write(phantom, folder);
        var result = VolumeLoader.Load(Path.Combine(folder, "ct"));
        Assert.False(result.HasErrors, string.Join("; ", result.Problems.Select(p => p.Message)));
        var loaded = Assert.Single(result.Channels);
        return new SegCase(kind, loaded, PhantomStructures.InSliceOrderOf(phantom, loaded), PhantomSegments, Path.Combine(folder, "ct"));
    }

    public static readonly SegSegment[] PhantomSegments =
    [
        new("SpinalCord", 255, 0, 0), new("Lung_R", 0, 255, 0), new("Lung_L", 0, 0, 255), new("Heart", 255, 0, 255),
        new("Esophagus", 255, 255, 0), new("Liver", 128, 64, 0),
    ];

    public void Dispose() => _temp.Dispose();
}

/// <summary>What tests/tools/read_seg.py read back from a written Segmentation.</summary>
public sealed record SegReadBack(JsonElement Json, byte[] Labels)
{
    public string S(string name) => Json.GetProperty(name).GetString()!;
    public int I(string name) => Json.GetProperty(name).GetInt32();
    public string[] Strings(string name) => [.. Json.GetProperty(name).EnumerateArray().Select(e => e.GetString()!)];

    /// <summary>Writes the source description, runs read_seg.py over the file and reads what it rebuilt.</summary>
    public static SegReadBack Read(string segPath, SegCase c, IReadOnlyList<string>? names = null)
    {
        var source = Path.ChangeExtension(segPath, ".source.json");
        File.WriteAllText(source, JsonSerializer.Serialize(new
        {
            slices = c.Series.Slices.Select(s => new { uid = s.SopInstanceUid, position = s.Position }),
            names = names ?? c.Segments.Select(s => s.Label).ToArray(),
        }));
        var bin = Path.ChangeExtension(segPath, ".labels.bin");
        var (_, stdout, _) = ExternalProcess.RunPythonTool("read_seg.py", segPath, source, bin);
        return new SegReadBack(JsonDocument.Parse(stdout).RootElement, File.ReadAllBytes(bin));
    }
}
