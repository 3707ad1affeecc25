using InnerEye.Cli;
using InnerEye.Imaging.Phantoms;
using InnerEye.Imaging.Series;
using InnerEye.Imaging.Tests.Support;

namespace InnerEye.Imaging.Tests.Phantoms;

/// <summary>One written phantom: the CLI's output folder, the in-memory phantom it came from and the loaded series.</summary>
public sealed record WrittenPhantom(string Folder, ThoraxPhantom Phantom, LoadedSeries Series, SeriesLoadResult Result);

/// <summary>Small head-first and feet-first phantoms written once through the CLI and shared by the phantom tests.</summary>
public sealed class PhantomFixture : IDisposable
{
    public const int Seed = 20240611;
    public static readonly ThoraxPhantomOptions Small = new() { Seed = Seed, Rows = 176, Columns = 192, Slices = 28, ColumnSpacing = 2.2,
        RowSpacing = 2.2, SliceSpacing = 4 };

    private readonly TempDirectory _temp = new();

    public WrittenPhantom HeadFirst { get; }
    public WrittenPhantom FeetFirst { get; }

    public PhantomFixture()
    {
        HeadFirst = Write("hfs", Small);
        FeetFirst = Write("ffs", Small with { FeetFirst = true });
    }

    public static string[] Arguments(ThoraxPhantomOptions o, string folder) =>
    [
        "--seed", $"{o.Seed}", "--out", folder, "--rows", $"{o.Rows}", "--cols", $"{o.Columns}", "--slices", $"{o.Slices}",
        "--spacing", FormattableString.Invariant($"{o.ColumnSpacing},{o.RowSpacing},{o.SliceSpacing}"),
        .. (o.FeetFirst ? new[] { "--feet-first" } : []), "--zip",
    ];

    public static (int Exit, string Stdout, string Stderr) Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = CommandLine.RunAsync(["phantom", .. args], stdout, stderr).GetAwaiter().GetResult();
        return (exit, stdout.ToString(), stderr.ToString());
    }

    private WrittenPhantom Write(string name, ThoraxPhantomOptions options)
    {
        var folder = _temp.NewPath(name);
        var (exit, _, stderr) = Run(Arguments(options, folder));
        Assert.True(exit == 0, stderr);
        var result = VolumeLoader.Load(Path.Combine(folder, "ct"));
        Assert.True(!result.HasErrors, string.Join("; ", result.Problems.Select(p => p.Message)));
        return new WrittenPhantom(folder, ThoraxPhantom.Generate(options), Assert.Single(result.Channels), result);
    }

    public void Dispose() => _temp.Dispose();
}
