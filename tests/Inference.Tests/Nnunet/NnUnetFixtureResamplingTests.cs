using InnerEye.Inference.Tests.Support;
using Xunit.Abstractions;

namespace InnerEye.Inference.Tests.Nnunet;

/// <summary>
/// The fixture's own resampling example (spec/resampling_examples.npz), made by nnU-Net's resample_data_or_seg_to_shape:
/// an image [1, 9, 20, 17] at its input spacing to the target spacing with order 3 / order_z 0 (float32, within 1e-6
/// of the largest magnitude), and that result cast to float16 and resampled back to the input shape with order 1 /
/// order_z 0, as nnU-Net resamples float16 logits (float16, identical).
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
        int[] shape = input.Shape[1..];

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
}
