using System.Text.Json;
using InnerEye.Inference.Tests.Support;

namespace InnerEye.Inference.Tests.Nnunet;

public sealed record ZoomCase(string Name, int Order, int[] InShape, int[] OutShape, string Input, string Expected);

public sealed record ResampleCase(string Name, string Dtype, int[] Shape, int[] NewShape, double[] CurrentSpacing, double[] NewSpacing,
    int Order, int OrderZ, bool NewShapeFromSpacing, bool? ForceSeparateZ, bool SeparateZ, int Axis, string Input, string Expected);

/// <summary>
/// The cases of Data/resampling_cases.json and their arrays (Data/resampling_cases.npz), written by
/// tests/tools/make_resampling_cases.py with scipy 1.10.1 / numpy 1.24.
/// </summary>
public static class ResamplingCases
{
    private sealed record Manifest(string Numpy, string Scipy, ZoomCase[] Zoom, ResampleCase[] Resample);

    private static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "Nnunet", "Data");

    private static readonly Lazy<Manifest> Cases = new(() => JsonSerializer.Deserialize<Manifest>(
        File.ReadAllText(Path.Combine(Folder, "resampling_cases.json")),
        new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower })!);

    private static readonly Lazy<Dictionary<string, NpyArray>> Arrays = new(() => Npy.ReadNpz(Path.Combine(Folder, "resampling_cases.npz")));

    public static IReadOnlyList<ZoomCase> Zoom => Cases.Value.Zoom;

    public static IReadOnlyList<ResampleCase> Resample => Cases.Value.Resample;

    public static NpyArray Array(string name) => Arrays.Value[name];

    public static TheoryData<string> ZoomNames() => [.. Zoom.Select(c => c.Name)];

    public static TheoryData<string> ResampleNames() => [.. Resample.Select(c => c.Name)];
}

/// <summary>Differences between a result and its reference.</summary>
public readonly record struct Difference(double MaxAbsolute, double Scale, int Unequal)
{
    /// <summary>The largest absolute difference relative to the reference's largest magnitude.</summary>
    public double Relative => Scale == 0 ? MaxAbsolute : MaxAbsolute / Scale;

    public static Difference Of(ReadOnlySpan<double> expected, ReadOnlySpan<double> actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        double max = 0, scale = 0;
        var unequal = 0;
        for (var i = 0; i < expected.Length; i++)
        {
            max = Math.Max(max, Math.Abs(expected[i] - actual[i]));
            scale = Math.Max(scale, Math.Abs(expected[i]));
            if (expected[i] != actual[i]) unequal++;
        }
        return new Difference(max, scale, unequal);
    }

    public override string ToString() => $"max |Δ| {MaxAbsolute:G3} ({Relative:G3} of the largest value), {Unequal} values not identical";
}
