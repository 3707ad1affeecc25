using System.CommandLine;
using System.CommandLine.Parsing;
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
    public static Command Create()
    {
        var seed = OptionParsers.Integer("--seed", "N", "Non-negative integer; the same seed writes the same files.", 0, int.MaxValue);
        seed.Required = true;
        var output = OptionParsers.Text("--out", "DIR",
            "Output folder: DIR/ct/<i> (one CT slice per file), DIR/labels.nii.gz, DIR/phantom.json.", required: true);
        output.Validators.Add(r =>
        {
            if (r.Tokens is [{ Value.Length: 0 }]) r.AddError("--out needs a folder.");
        });
        var rows = OptionParsers.Integer("--rows", "R", "Image rows.", ThoraxPhantomOptions.MinImageSize, ThoraxPhantomOptions.MaxImageSize, 512);
        var cols = OptionParsers.Integer("--cols", "C", "Image columns.", ThoraxPhantomOptions.MinImageSize, ThoraxPhantomOptions.MaxImageSize, 512);
        var slices = OptionParsers.Integer("--slices", "Z", "Number of slices.", 1, ThoraxPhantomOptions.MaxSlices, 120);
        var spacing = new Option<double[]?>("--spacing")
        {
            HelpName = "SX,SY,SZ",
            Description = "Column, row and slice spacing in mm, each > 0 and <= 10 "
                + "(default: square pixels of 0.6-1.2 mm and slices 1-5 mm apart, drawn from the seed).",
            CustomParser = r => r.Tokens.Count == 0 ? null : Spacing(r),
        };
        var feetFirst = new Option<bool>("--feet-first") { Description = "Feet first supine (FFS) instead of head first (HFS)." };
        var zip = new Option<bool>("--zip") { Description = "Also write DIR/scan.zip in the gateway layout (ct/0, ct/1, ...)." };
        var command = new Command("phantom",
            "Write a synthetic thorax CT series (DIR/ct/<i>, with --zip also DIR/scan.zip) and its ground truth (DIR/labels.nii.gz, "
            + "DIR/phantom.json). Labels: 1 SpinalCord, 2 Lung_R, 3 Lung_L, 4 Heart, 5 Esophagus.")
        {
            seed, output, rows, cols, slices, spacing, feetFirst, zip,
        };
        command.SetAction((r, _) =>
        {
            var values = r.GivenValue(spacing);
            var options = new ThoraxPhantomOptions
            {
                Seed = r.GetValue(seed),
                Rows = r.GetValue(rows),
                Columns = r.GetValue(cols),
                Slices = r.GetValue(slices),
                ColumnSpacing = values?[0],
                RowSpacing = values?[1],
                SliceSpacing = values?[2],
                FeetFirst = r.GetValue(feetFirst),
            };
            return RunAsync(options, r.GetRequiredValue(output), r.GetValue(zip), r.Out(), r.Error());
        });
        return command;
    }

    private static async Task<int> RunAsync(ThoraxPhantomOptions options, string output, bool zip, TextWriter stdout, TextWriter stderr)
    {
        if (options.ColumnSpacing is { } sx && options.RowSpacing is { } sy && Math.Abs(sx - sy) > 1e-4)
            await stderr.WriteLineAsync(
                $"warning: the pixels are not square ({sx} x {sy} mm); CT loaders, this project's included, refuse such a series.");

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
            return ExitCodes.Failure;
        }
        var g = phantom.Geometry;
        var counts = phantom.LabelCounts();
        var inv = CultureInfo.InvariantCulture;
        await stdout.WriteLineAsync(string.Create(inv,
            $"phantom seed {options.Seed}: {g.Columns}x{g.Rows}x{g.Slices}, spacing {g.Spacing[0]:0.###}x{g.Spacing[1]:0.###}x{g.Spacing[2]:0.###} " +
            $"mm, {g.PatientPosition}"));
        for (var label = 1; label < counts.Length; label++)
            await stdout.WriteLineAsync(string.Create(inv, $"  {label} {PhantomStructures.Names[label - 1],-10} {counts[label],10} voxels"));
        await stdout.WriteLineAsync(string.Create(inv,
            $"wrote {written.Files} slices to {written.CtFolder}{(written.Zip is null ? "" : $" and {written.Zip}")}, {written.Labels}, " +
            $"{written.Json} (generated in {generated.TotalSeconds:0.00} s, total {clock.Elapsed.TotalSeconds:0.00} s)"));
        return ExitCodes.Ok;
    }

    private static double[]? Spacing(ArgumentResult r)
    {
        var text = r.Tokens[^1].Value;
        var parts = text.Split(',');
        if (parts.Length != 3)
        {
            r.AddError($"--spacing '{text}' must be three numbers SX,SY,SZ (mm).");
            return null;
        }
        var values = new double[3];
        for (var i = 0; i < 3; i++)
        {
            if (!double.TryParse(parts[i], NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture,
                out values[i]) || !double.IsFinite(values[i]))
            {
                r.AddError($"--spacing value '{parts[i]}' is not a number.");
                return null;
            }
            if (values[i] <= 0 || values[i] > ThoraxPhantomOptions.MaxSpacing)
            {
                r.AddError($"--spacing value {parts[i]} is out of range (more than 0 and at most {ThoraxPhantomOptions.MaxSpacing} mm).");
                return null;
            }
        }
        return values;
    }
}
