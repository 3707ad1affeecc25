using System.Text.Json;

namespace InnerEye.Imaging.Tests.Support;

/// <summary>A CT series written by pydicom through tests/tools/make_ct_series.py, and the geometry it reports.</summary>
public sealed record SyntheticSeries(string Path, string StudyUid, string SeriesUid, string FrameUid, double[] Origin, double[] Direction,
    double[] Spacing)
{
    /// <summary>The test needs pydicom: Skipped without it, and failed with CI=true.</summary>
    public static void RequireTools() => ExternalProcess.Require(ExternalProcess.Python, "pydicom");

    public static SyntheticSeries Make(string path, params string[] options)
    {
        var json = ExternalProcess.RunPythonTool("make_ct_series.py", [path, .. options]).Stdout;
        using var doc = JsonDocument.Parse(json);
        var r = doc.RootElement;
        double[] Numbers(string name) => r.GetProperty(name).EnumerateArray().Select(e => e.GetDouble()).ToArray();
        return new SyntheticSeries(path, r.GetProperty("study").GetString()!, r.GetProperty("series").GetString()!,
            r.GetProperty("frame").GetString()!, Numbers("origin"), Numbers("direction"), Numbers("spacing"));
    }

    /// <summary>pydicom + numpy's HU volume of the same input (tests/tools/pydicom_volume.py).</summary>
    public static float[] ReferenceVolume(string path, string scratch)
    {
        var raw = System.IO.Path.Combine(scratch, "reference.raw");
        ExternalProcess.RunPythonTool("pydicom_volume.py", path, raw);
        var bytes = File.ReadAllBytes(raw);
        var values = new float[bytes.Length / 4];
        Buffer.BlockCopy(bytes, 0, values, 0, bytes.Length);
        return values;
    }

    public static void Edit(IEnumerable<string> files, params string[] edits) =>
        ExternalProcess.RunPythonTool("edit_dicom.py", [.. files, "--", .. edits]);
}
