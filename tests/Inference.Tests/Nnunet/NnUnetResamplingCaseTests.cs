using Xunit.Abstractions;

namespace InnerEye.Inference.Tests.Nnunet;

/// <summary>
/// <see cref="NnUnetResampling"/> against nnU-Net's resample_data_or_seg_to_shape (is_seg=False) as
/// tests/tools/make_resampling_cases.py computes it with scipy: the new shape and the separate-z decision must be the
/// same, float32 results within 1e-6 of the reference's largest magnitude, float16 results identical.
/// </summary>
public sealed class NnUnetResamplingCaseTests(ITestOutputHelper output)
{
    private const double Float32Tolerance = 1e-6;

    public static TheoryData<string> Cases() => ResamplingCases.ResampleNames();

    [Theory]
    [MemberData(nameof(Cases))]
    public void ResamplingIsNnUnets(string name)
    {
        var c = ResamplingCases.Resample.Single(r => r.Name == name);
        if (c.NewShapeFromSpacing) Assert.Equal(c.NewShape, NnUnetResampling.NewShape(c.Shape, c.CurrentSpacing, c.NewSpacing));
        Assert.Equal((c.SeparateZ, c.Axis), NnUnetResampling.SeparateZAxis(c.CurrentSpacing, c.NewSpacing, forceSeparateZ: c.ForceSeparateZ));

        var input = ResamplingCases.Array(c.Input);
        var expected = ResamplingCases.Array(c.Expected);
        Difference difference;
        if (c.Dtype == "float16")
        {
            var actual = NnUnetResampling.Resample(input.AsHalves(), c.Shape, c.NewShape, c.CurrentSpacing, c.NewSpacing, c.Order, c.OrderZ,
                c.ForceSeparateZ);
            difference = Difference.Of(expected.ToDoubles(), [.. actual.Select(v => (double)v)]);
            Assert.Equal(expected.AsHalves(), actual);
        }
        else
        {
            var data = input.AsFloats();
            var actual = NnUnetResampling.Resample(data, c.Shape, c.NewShape, c.CurrentSpacing, c.NewSpacing, c.Order, c.OrderZ, c.ForceSeparateZ);
            if (c.Shape.SequenceEqual(c.NewShape)) Assert.Same(data, actual);
            difference = Difference.Of(expected.ToDoubles(), [.. actual.Select(v => (double)v)]);
            Assert.True(difference.Relative <= Float32Tolerance, difference.ToString());
        }
        output.WriteLine($"{name} ({c.Dtype}, separate z {c.SeparateZ} axis {c.Axis}, " +
            $"{string.Join('x', c.Shape)} -> {string.Join('x', c.NewShape)}): {difference}");
    }

    [Fact]
    public void ACancelledTokenStopsTheResampling()
    {
        var data = new float[6 * 40 * 40];
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => NnUnetResampling.Resample(data, [6, 40, 40], [6, 50, 50], [5.0, 1, 1], [5.0, 0.8, 0.8],
            3, 0, null, cancellationToken: cancelled.Token));
        Assert.ThrowsAny<OperationCanceledException>(() => NnUnetResampling.Resample(data, [6, 40, 40], [7, 50, 50], (false, -1), 3, 0,
            cancelled.Token));
    }

    [Fact]
    public void OrdersAlongTheSeparateAxisOtherThanZeroAndOneAreRefused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => NnUnetResampling.Resample(new float[4 * 5 * 5], [4, 5, 5], [8, 5, 5], (true, 0), 3, 3));

    [Fact]
    public void DataThatDoNotMatchTheShapeAreRefused() =>
        Assert.Throws<ArgumentException>(() => NnUnetResampling.Resample(new float[10], [4, 5, 5], [8, 5, 5], (true, 0), 3, 0));
}
