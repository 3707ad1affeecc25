using System.Text.Json;
using InnerEye.Imaging.Phantoms;

namespace InnerEye.Imaging.Tests.Support;

/// <summary>
/// A phantom CT series rewritten as a tilted-gantry acquisition by tests/tools/make_tilted_series.py (slice k at
/// origin + k·step along the normal rotated about the row axis), and the geometry it must load with.
/// </summary>
public sealed record TiltedSeries(string Folder, string CtFolder, double[] Origin, double[] Spacing, double[] Direction, double TiltDegrees)
{
    /// <summary>The test needs pydicom: Skipped without it, and failed with CI=true.</summary>
    public static void RequireTools() => ExternalProcess.Require(ExternalProcess.Python, "pydicom");

    /// <summary>Writes the phantom, then its tilted copy to <c>DIR/tilted/ct</c>; <paramref name="bend"/> (mm) bows the positions.</summary>
    public static TiltedSeries Make(TempDirectory dir, ThoraxPhantomOptions options, double tilt, double bend = 0)
    {
        var source = dir.NewPath("straight");
        PhantomWriter.Write(ThoraxPhantom.Generate(options), source);
        var folder = dir.NewPath("tilted");
        var ct = Path.Combine(folder, "ct");
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        var json = ExternalProcess.RunPythonTool("make_tilted_series.py",
            Path.Combine(source, "ct"), ct, "--tilt", tilt.ToString(inv), "--bend", bend.ToString(inv)).Stdout;
        using var doc = JsonDocument.Parse(json);
        var r = doc.RootElement;
        double[] Numbers(string name) => r.GetProperty(name).EnumerateArray().Select(e => e.GetDouble()).ToArray();
        return new TiltedSeries(folder, ct, Numbers("origin"), Numbers("spacing"), Numbers("direction"), r.GetProperty("tiltDegrees").GetDouble());
    }
}
