namespace InnerEye.Inference;

/// <summary>
/// The cubic B-spline prefilter (interpolation coefficients from samples) of scipy 1.10's <c>spline_filter1d(order=3,
/// mode='nearest')</c>, operation for operation so that results agree to the last bit: gain, then one causal and one
/// anticausal recursion with the pole √3 − 2.
/// </summary>
/// <remarks>
/// For mode 'nearest' scipy initialises the recursions as for mode 'reflect' (half-sample symmetric extension), on a line
/// it has already edge-padded by <see cref="ZoomPlan.CubicPadding"/> samples. Its causal initialisation reads
/// <c>c[0]</c> again in the last term of its sum after it has started to overwrite it; the effect is ~z^(2n), far below
/// double precision for padded lines, but it is reproduced too.
/// </remarks>
internal static class CubicSplinePrefilter
{
    private const double Pole = -0.267949192431122706472553658494127633;

    /// <summary>Filters a contiguous line in place (lines of one sample are left as they are, as scipy does).</summary>
    public static void Apply(Span<double> c)
    {
        var n = c.Length;
        if (n <= 1) return;
        const double z = Pole;

        var gain = 1.0;
        gain *= (1.0 - z) * (1.0 - 1.0 / z);
        for (var i = 0; i < n; i++) c[i] *= gain;

        var zi = z;
        var zn = Math.Pow(z, n);
        var c0 = c[0];
        c[0] = c[0] + zn * c[n - 1];
        for (var i = 1; i < n; i++)
        {
            c[0] += zi * (c[i] + zn * c[n - 1 - i]);
            zi *= z;
        }
        c[0] *= z / (1 - zn * zn);
        c[0] += c0;
        for (var i = 1; i < n; i++) c[i] += z * c[i - 1];

        c[n - 1] *= z / (z - 1);
        for (var i = n - 2; i >= 0; i--) c[i] = z * (c[i + 1] - c[i]);
    }

    /// <summary>
    /// Filters every line along one axis of a C-order array of <paramref name="shape"/>, through
    /// <paramref name="line"/> (at least shape[axis] long) as scratch.
    /// </summary>
    public static void ApplyAlongAxis(Span<double> data, ReadOnlySpan<int> shape, int axis, Span<double> line)
    {
        var (n, stride, lines) = Lines(data.Length, shape, axis);
        for (var l = 0; l < lines; l++) ApplyToLine(data, n, stride, l, line);
    }

    /// <summary>The same for the first <paramref name="length"/> values of <paramref name="data"/>, lines in parallel.</summary>
    public static void ApplyAlongAxisParallel(double[] data, int length, int[] shape, int axis, CancellationToken cancellationToken)
    {
        var (n, stride, lines) = Lines(length, shape, axis);
        Parallel.For(0, lines, new ParallelOptions { CancellationToken = cancellationToken },
            () => new double[n],
            (l, _, line) =>
            {
                ApplyToLine(data, n, stride, l, line);
                return line;
            },
            _ => { });
    }

    private static (int Length, int Stride, int Lines) Lines(int size, ReadOnlySpan<int> shape, int axis)
    {
        var n = shape[axis];
        var stride = 1;
        for (var a = shape.Length - 1; a > axis; a--) stride *= shape[a];
        return (n, stride, size / n);
    }

    /// <summary>Line <paramref name="l"/> along the axis: lines are numbered with the axes after it fastest.</summary>
    private static void ApplyToLine(Span<double> data, int n, int stride, int l, Span<double> line)
    {
        var first = l / stride * n * stride + l % stride;
        if (stride == 1)
        {
            Apply(data.Slice(first, n));
            return;
        }
        var buffer = line[..n];
        for (var i = 0; i < n; i++) buffer[i] = data[first + i * stride];
        Apply(buffer);
        for (var i = 0; i < n; i++) data[first + i * stride] = buffer[i];
    }
}
