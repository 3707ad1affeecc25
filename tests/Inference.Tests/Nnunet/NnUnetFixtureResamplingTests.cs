using System.Text.Json;
using InnerEye.Inference.Tests.Support;
using Xunit.Abstractions;

namespace InnerEye.Inference.Tests.Nnunet;

/// <summary>
/// The fixture's own resampling example (spec/resampling_examples.npz), made by nnU-Net's resample_data_or_seg_to_shape:
/// an image [1, 9, 20, 17] at its input spacing to the target spacing with order 3 / order_z 0 (float32, within 1e-6
/// of the largest magnitude), and that result cast to float16 and resampled back to the input shape with order 1 /
/// order_z 0, as nnU-Net resamples float16 logits (float16, identical). And the cases' network inputs
/// (preprocessed.npz, stored as float16): image.npy cropped and normalised as nnU-Net does, then resampled.
/// </summary>
public sealed class NnUnetFixtureResamplingTests(ITestOutputHelper output)
{
    [SkippableFact]
    public void ImageToTargetSpacingAndLogitsBack()
    {
        var arrays = Npy.ReadNpz(NnUnetFixture.PathOf("spec/resampling_examples.npz"));
        var input = arrays["input"];
        var inputSpacing = arrays["input_spacing"].AsDoubles();
        var targetSpacing = arrays["target_spacing"].AsDoubles();
        var expected = arrays["data_resampled"];
        var expectedBack = arrays["prob_style_back"];
        var shape = input.Shape[1..];

        var newShape = NnUnetResampling.NewShape(shape, inputSpacing, targetSpacing);
        Assert.Equal(arrays["data_resampled_shape"].AsInt64s().Select(n => (int)n), newShape);
        Assert.Equal(expected.Shape[1..], newShape);
        Assert.Equal((true, 0), NnUnetResampling.SeparateZAxis(inputSpacing, targetSpacing));

        var resampled = NnUnetResampling.Resample(input.AsFloats(), shape, newShape, inputSpacing, targetSpacing, 3, 0, null);
        var difference = Difference.Of(expected.ToDoubles(), [.. resampled.Select(v => (double)v)]);
        output.WriteLine($"image {string.Join('x', shape)} -> {string.Join('x', newShape)}: {difference}");
        Assert.True(difference.Relative <= 1e-6, difference.ToString());

        var logits = expected.AsFloats().Select(v => (Half)v).ToArray();
        var back = NnUnetResampling.Resample(logits, newShape, shape, targetSpacing, inputSpacing, 1, 0, null);
        output.WriteLine($"float16 back {string.Join('x', newShape)} -> {string.Join('x', shape)}: " +
            Difference.Of(expectedBack.ToDoubles(), [.. back.Select(v => (double)v)]));
        Assert.Equal(expectedBack.Shape[1..], shape);
        Assert.Equal(expectedBack.AsHalves(), back);
    }

    [SkippableTheory]
    [InlineData("hfs_std")] // 48 slices of 5 mm keep their count; 176 → 244 in-plane
    [InlineData("ffs")]
    [InlineData("zero_border")] // cropped to 37 slices of 6 mm → 44 slices (nearest), 150 → 226 in-plane
    public void CaseImagesResampleToNnUnetsNetworkInput(string name)
    {
        var folder = Path.Combine(NnUnetFixture.Root, "cases", name);
        var image = Npy.ReadFile(Path.Combine(folder, "image.npy"));
        using var spacingJson = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "spacing.json")));
        using var reference = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "reference.json")));
        double[] spacing = [.. spacingJson.RootElement.GetProperty("spacing_zyx_mm").EnumerateArray().Select(e => e.GetDouble())];
        double[] target = [5.0, 1.590000033378601, 1.590000033378601];
        var expected = Npy.ReadNpz(Path.Combine(folder, "preprocessed.npz"))["data"];

        var (shape, data) = Crop(image, reference.RootElement);
        var newShape = NnUnetResampling.NewShape(shape, spacing, target);
        Assert.Equal(expected.Shape, newShape);
        Assert.Equal((true, 0), NnUnetResampling.SeparateZAxis(spacing, target));

        // nnU-Net's CTNormalization, in float32: clip to the foreground percentiles, subtract the mean, divide by the std.
        for (var i = 0; i < data.Length; i++) data[i] = (Math.Clamp(data[i], -893.0f, 78.0f) - -580.39404296875f) / 391.4194030761719f;
        var resampled = NnUnetResampling.Resample(data, shape, newShape, spacing, target, 3, 0, null);
        var actual = resampled.Select(v => (Half)v).ToArray();
        output.WriteLine($"{name}: {string.Join('x', shape)} -> {string.Join('x', newShape)}, as float16: " +
            Difference.Of(expected.ToDoubles(), [.. actual.Select(v => (double)v)]));
        Assert.Equal(expected.AsHalves(), actual);
    }

    /// <summary>The image cut to nnU-Net's crop box (reference.json geometry.bbox_used_for_cropping), where there is one.</summary>
    private static (int[] Shape, float[] Data) Crop(NpyArray image, JsonElement reference)
    {
        var full = image.AsFloats();
        if (!reference.TryGetProperty("geometry", out var geometry) || !geometry.TryGetProperty("bbox_used_for_cropping", out var box))
            return (image.Shape, full);
        int[][] b = [.. box.EnumerateArray().Select(a => a.EnumerateArray().Select(e => e.GetInt32()).ToArray())];
        int[] shape = [.. b.Select(a => a[1] - a[0])];
        var data = new float[shape[0] * shape[1] * shape[2]];
        for (var row = 0; row < shape[0] * shape[1]; row++)
        {
            int z = row / shape[1] + b[0][0], y = row % shape[1] + b[1][0];
            full.AsSpan((z * image.Shape[1] + y) * image.Shape[2] + b[2][0], shape[2]).CopyTo(data.AsSpan(row * shape[2], shape[2]));
        }
        return (shape, data);
    }
}
