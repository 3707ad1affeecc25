using Xunit.Abstractions;

namespace InnerEye.Inference.Tests.Nnunet;

/// <summary>
/// <see cref="SplineZoom"/> against scipy.ndimage.zoom(mode='nearest', grid_mode=True) of float64 arrays. Order 0 must
/// be identical; orders 1 and 3 within 1e-12 of the reference's largest magnitude (the port repeats scipy's operations
/// in scipy's order, so in practice they are identical too: the test reports what it sees).
/// </summary>
public sealed class SplineZoomTests(ITestOutputHelper output)
{
    private const double Tolerance = 1e-12;

    public static TheoryData<string> Cases() => ResamplingCases.ZoomNames();

    [Theory]
    [MemberData(nameof(Cases))]
    public void ZoomIsScipys(string name)
    {
        var c = ResamplingCases.Zoom.Single(z => z.Name == name);
        var input = ResamplingCases.Array(c.Input).AsDoubles();
        var expected = ResamplingCases.Array(c.Expected).AsDoubles();
        var actual = new double[expected.Length];
        var (i, o) = (c.InShape, c.OutShape);
        switch (i.Length)
        {
            case 1:
                SplineZoom.ZoomAxis(input, 1, i[0], actual, 1, o[0], c.Order);
                break;
            case 2:
                SplineZoom.Zoom2D(input, i[0], i[1], actual, o[0], o[1], c.Order);
                break;
            default:
                SplineZoom.Zoom3D(input, i[0], i[1], i[2], actual, o[0], o[1], o[2], c.Order);
                break;
        }
        var difference = Difference.Of(expected, actual);
        output.WriteLine($"{name}: {difference}");
        if (c.Order == 0)
            Assert.Equal(expected, actual);
        else
            Assert.True(difference.Relative <= Tolerance, difference.ToString());
    }

    [Fact]
    public void ZoomAxisReadsAndWritesWithStrides()
    {
        var c = ResamplingCases.Zoom.Single(z => z.Name == "zoom1d_7_to_11_o3");
        var input = ResamplingCases.Array(c.Input).AsDoubles();
        var strided = new double[input.Length * 3];
        for (var i = 0; i < input.Length; i++) strided[i * 3] = input[i];
        var contiguous = new double[11];
        var spread = new double[11 * 2];
        SplineZoom.ZoomAxis(input, 1, 7, contiguous, 1, 11, 3);
        SplineZoom.ZoomAxis(strided, 3, 7, spread, 2, 11, 3);
        Assert.Equal(contiguous, spread.Where((_, k) => k % 2 == 0));
        Assert.All(spread.Where((_, k) => k % 2 == 1), v => Assert.Equal(0, v));
    }

    [Fact]
    public void CubicZoomReproducesALinearRampInsideTheLine()
    {
        // A cubic spline reproduces linear functions; the edge padding bends it only near the ends (by ~0.27^distance).
        var ramp = Enumerable.Range(0, 100).Select(i => 3.0 * i - 7).ToArray();
        var zoomed = new double[143];
        SplineZoom.ZoomAxis(ramp, 1, 100, zoomed, 1, 143, 3);
        var checkedSamples = 0;
        for (var o = 0; o < zoomed.Length; o++)
        {
            var c = (o + 0.5) * 100 / 143 - 0.5;
            if (c < 25 || c > 74) continue;
            Assert.Equal(3.0 * c - 7, zoomed[o], 8);
            checkedSamples++;
        }
        Assert.True(checkedSamples > 60);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    public void UnsupportedOrdersAreRefused(int order) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => ZoomPlan.Create(5, 7, order));

    [Fact]
    public void NearestTiesGoToTheHigherSample()
    {
        // 8 → 4: output i sits at 2i + 0.5, exactly between samples 2i and 2i + 1.
        var plan = ZoomPlan.Create(8, 4, 0);
        Assert.Equal([1, 3, 5, 7], plan.Index.ToArray());
    }
}
