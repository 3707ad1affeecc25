using System.Diagnostics;
using System.Globalization;
using InnerEye.Imaging.Phantoms;

namespace InnerEye.Cli;

/// <summary>
/// <c>innereye phantom --seed N --out DIR [--rows R --cols C --slices Z --spacing sx,sy,sz] [--feet-first] [--zip]</c>:
/// writes a synthetic thorax CT series with ground-truth labels (see <see cref="PhantomWriter"/>).
/// </summary>
public static class PhantomCommand
{
    public const string Usage = """
        usage: innereye phantom --seed N --out DIR [--rows R] [--cols C] [--slices Z] [--spacing SX,SY,SZ]
                                [--feet-first] [--zip]

          --seed N            non-negative integer; the same seed writes the same files
          --out DIR           output folder: DIR/ct/<i> (one CT slice per file), DIR/labels.nii.gz, DIR/phantom.json
          --rows R, --cols C  image size, 16 to 1024 (default 512 x 512)
          --slices Z          number of slices, 1 to 1000 (default 120)
          --spacing SX,SY,SZ  column, row and slice spacing in mm, each > 0 and <= 10
                              (default: square pixels of 0.6-1.2 mm and slices 1-5 mm apart, drawn from the seed)
          --feet-first        feet first supine (FFS) instead of head first (HFS)
          --zip               also write DIR/scan.zip in the gateway layout (ct/0, ct/1, ...)
        labels: 1 SpinalCord, 2 Lung_R, 3 Lung_L, 4 Heart, 5 Esophagus
        """;

    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr)
    {
        ThoraxPhantomOptions options;
        string output;
        bool zip;
        try
        {
            (options, output, zip) = Parse(args);
        }
        catch (UsageException ex)
        {
            await stderr.WriteLineAsync($"error: {ex.Message}");
            await stderr.WriteLineAsync(Usage);
            return CommandLine.Usage;
        }
        if (options.ColumnSpacing is { } sx && options.RowSpacing is { } sy && Math.Abs(sx - sy) > 1e-4)
            await stderr.WriteLineAsync($"warning: the pixels are not square ({sx} x {sy} mm); CT loaders, this project's included, refuse such a series.");

        var clock = Stopwatch.StartNew();
        var phantom = ThoraxPhantom.Generate(options);
        var generated = clock.Elapsed;
        PhantomOutput written;
        try
        {
            written = PhantomWriter.Write(phantom, output, writeFolder: true, writeZip: zip);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            await stderr.WriteLineAsync($"error: could not write to '{output}': {ex.Message}");
            return 1;
        }
        var g = phantom.Geometry;
        var counts = phantom.LabelCounts();
        var inv = CultureInfo.InvariantCulture;
        await stdout.WriteLineAsync(string.Create(inv,
            $"phantom seed {options.Seed}: {g.Columns}x{g.Rows}x{g.Slices}, spacing {g.Spacing[0]:0.###}x{g.Spacing[1]:0.###}x{g.Spacing[2]:0.###} mm, {g.PatientPosition}"));
        for (var label = 1; label < counts.Length; label++)
            await stdout.WriteLineAsync(string.Create(inv, $"  {label} {PhantomStructures.Names[label - 1],-10} {counts[label],10} voxels"));
        await stdout.WriteLineAsync(string.Create(inv,
            $"wrote {written.Files} slices to {written.CtFolder}{(written.Zip is null ? "" : $" and {written.Zip}")}, {written.Labels}, {written.Json} (generated in {generated.TotalSeconds:0.00} s, total {clock.Elapsed.TotalSeconds:0.00} s)"));
        return CommandLine.Ok;
    }

    private sealed class UsageException(string message) : Exception(message);

    private static (ThoraxPhantomOptions, string, bool) Parse(string[] args)
    {
        int? seed = null;
        string? output = null;
        int rows = 512, cols = 512, slices = 120;
        double[]? spacing = null;
        bool feetFirst = false, zip = false;
        var seen = new HashSet<string>();
        for (var i = 0; i < args.Length; i++)
        {
            var name = args[i];
            string Value()
            {
                if (i + 1 >= args.Length || args[i + 1].StartsWith("--", StringComparison.Ordinal)) throw new UsageException($"{name} needs a value.");
                return args[++i];
            }
            if (name.StartsWith("--", StringComparison.Ordinal) && !seen.Add(name)) throw new UsageException($"{name} is given twice.");
            switch (name)
            {
                case "--seed":
                    seed = Integer(name, Value(), 0, int.MaxValue);
                    break;
                case "--out":
                    output = Value();
                    if (output.Length == 0) throw new UsageException("--out needs a folder.");
                    break;
                case "--rows":
                    rows = Integer(name, Value(), ThoraxPhantomOptions.MinImageSize, ThoraxPhantomOptions.MaxImageSize);
                    break;
                case "--cols":
                    cols = Integer(name, Value(), ThoraxPhantomOptions.MinImageSize, ThoraxPhantomOptions.MaxImageSize);
                    break;
                case "--slices":
                    slices = Integer(name, Value(), 1, ThoraxPhantomOptions.MaxSlices);
                    break;
                case "--spacing":
                    spacing = Spacing(Value());
                    break;
                case "--feet-first":
                    feetFirst = true;
                    break;
                case "--zip":
                    zip = true;
                    break;
                default:
                    throw new UsageException($"unknown argument '{name}'.");
            }
        }
        if (seed is null) throw new UsageException("missing --seed N (required).");
        if (output is null) throw new UsageException("missing --out DIR (required).");
        var options = new ThoraxPhantomOptions
        {
            Seed = seed.Value,
            Rows = rows,
            Columns = cols,
            Slices = slices,
            ColumnSpacing = spacing?[0],
            RowSpacing = spacing?[1],
            SliceSpacing = spacing?[2],
            FeetFirst = feetFirst,
        };
        return (options, output, zip);
    }

    private static int Integer(string name, string text, int min, int max)
    {
        if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
            throw new UsageException($"{name} '{text}' is not a whole number.");
        if (value < min || value > max) throw new UsageException($"{name} {value} is out of range ({min} to {max}).");
        return value;
    }

    private static double[] Spacing(string text)
    {
        var parts = text.Split(',');
        if (parts.Length != 3) throw new UsageException($"--spacing '{text}' must be three numbers SX,SY,SZ (mm).");
        var values = new double[3];
        for (var i = 0; i < 3; i++)
        {
            if (!double.TryParse(parts[i], NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out values[i]) || !double.IsFinite(values[i]))
                throw new UsageException($"--spacing value '{parts[i]}' is not a number.");
            if (values[i] <= 0 || values[i] > ThoraxPhantomOptions.MaxSpacing)
                throw new UsageException($"--spacing value {parts[i]} is out of range (more than 0 and at most {ThoraxPhantomOptions.MaxSpacing} mm).");
        }
        return values;
    }
}
