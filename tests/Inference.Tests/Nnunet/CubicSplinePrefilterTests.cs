namespace InnerEye.Inference.Tests.Nnunet;

/// <summary>
/// The lockstep (vectorised, transposing) prefilter of planes and volumes is, value for value and bit for bit, the
/// line-by-line filter along each axis in turn, which is what scipy runs.
/// </summary>
public sealed class CubicSplinePrefilterTests
{
    private static double[] RandomValues(int count, int seed)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, count).Select(_ => random.NextDouble() * 2000 - 1000)];
    }

    /// <summary>Line by line along <paramref name="axis"/> of a C-order array of <paramref name="shape"/>.</summary>
    private static void FilterLines(double[] data, int[] shape, int axis)
    {
        var n = shape[axis];
        var stride = shape.Skip(axis + 1).Aggregate(1, (a, b) => a * b);
        var line = new double[n];
        for (var l = 0; l < data.Length / n; l++)
        {
            var first = l / stride * n * stride + l % stride;
            for (var i = 0; i < n; i++) line[i] = data[first + i * stride];
            CubicSplinePrefilter.Apply(line);
            for (var i = 0; i < n; i++) data[first + i * stride] = line[i];
        }
    }

    [Theory]
    [InlineData(25, 31)]
    [InlineData(37, 26)]
    [InlineData(25, 25)]
    public void PlanesAreFilteredAsLineByLine(int h, int w)
    {
        var expected = RandomValues(h * w, h * w);
        var actual = (double[])expected.Clone();
        FilterLines(expected, [h, w], 0);
        FilterLines(expected, [h, w], 1);
        CubicSplinePrefilter.Apply2D(actual, h, w, new double[h * w + Math.Max(h, w)]);
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void VolumesAreFilteredAsLineByLine()
    {
        int d = 26, h = 29, w = 27;
        var expected = RandomValues(d * h * w, 3);
        var actual = (double[])expected.Clone();
        for (var axis = 0; axis < 3; axis++) FilterLines(expected, [d, h, w], axis);
        CubicSplinePrefilter.Apply3D(actual, d, h, w, CancellationToken.None);
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void AConstantLineStaysConstant()
    {
        // Interpolation coefficients of a constant are that constant (to rounding).
        var line = Enumerable.Repeat(42.0, 30).ToArray();
        CubicSplinePrefilter.Apply(line);
        Assert.All(line, v => Assert.Equal(42.0, v, 12));
    }
}
