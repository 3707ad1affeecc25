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
/// double precision for padded lines, but it is reproduced too (scipy 1.18 accumulates elsewhere and scales in another
/// order, so its last bits differ from 1.10's, which nnU-Net's reference used).
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
    /// Filters the columns [<paramref name="from"/>, <paramref name="to"/>) of a row-major block of
    /// <paramref name="n"/> rows × <paramref name="m"/> columns, every column as <see cref="Apply"/> would, operation for
    /// operation, but all in lockstep a row at a time so that the recursions run side by side.
    /// <paramref name="scratch"/> must hold to − from values.
    /// </summary>
    public static void ApplyToColumns(Span<double> block, int n, int m, int from, int to, Span<double> scratch)
    {
        if (n <= 1) return;
        const double z = Pole;
        var width = to - from;

        var gain = 1.0;
        gain *= (1.0 - z) * (1.0 - 1.0 / z);
        for (var i = 0; i < n; i++) Columns.Scale(Row(block, m, from, width, i), gain);

        var zi = z;
        var zn = Math.Pow(z, n);
        var first = Row(block, m, from, width, 0);
        var c0 = scratch[..width];
        first.CopyTo(c0);
        Columns.AddScaled(first, zn, Row(block, m, from, width, n - 1));
        for (var i = 1; i < n; i++)
        {
            Columns.AddScaledSum(first, zi, Row(block, m, from, width, i), zn, Row(block, m, from, width, n - 1 - i));
            zi *= z;
        }
        Columns.Scale(first, z / (1 - zn * zn));
        Columns.Add(first, c0);
        for (var i = 1; i < n; i++) Columns.AddScaled(Row(block, m, from, width, i), z, Row(block, m, from, width, i - 1));

        Columns.Scale(Row(block, m, from, width, n - 1), z / (z - 1));
        for (var i = n - 2; i >= 0; i--) Columns.ScaleDifference(Row(block, m, from, width, i), z, Row(block, m, from, width, i + 1));
    }

    /// <summary>Filters a row-major plane [h, w] along axis 0, then axis 1; <paramref name="scratch"/> holds h·w + max(h, w) values.</summary>
    public static void Apply2D(Span<double> plane, int h, int w, Span<double> scratch)
    {
        ApplyToColumns(plane, h, w, 0, w, scratch[..w]);
        var transposed = scratch[..(h * w)];
        Transpose(plane, h, w, transposed);
        ApplyToColumns(transposed, w, h, 0, h, scratch.Slice(h * w, h));
        Transpose(transposed, w, h, plane);
    }

    /// <summary>Filters the first d·h·w values of a C-order volume [d, h, w] along axes 0, 1 and 2, in parallel.</summary>
    public static void Apply3D(double[] volume, int d, int h, int w, CancellationToken cancellationToken)
    {
        var options = new ParallelOptions { CancellationToken = cancellationToken };
        var plane = h * w;
        const int chunk = 512;
        Parallel.For(0, (plane + chunk - 1) / chunk, options, c =>
        {
            var from = c * chunk;
            var to = Math.Min(plane, from + chunk);
            ApplyToColumns(volume.AsSpan(0, d * plane), d, plane, from, to, new double[to - from]);
        });
        Parallel.For(0, d, options, () => new double[plane + Math.Max(h, w)], (k, _, scratch) =>
        {
            var slice = volume.AsSpan(k * plane, plane);
            ApplyToColumns(slice, h, w, 0, w, scratch);
            var transposed = scratch.AsSpan(0, plane);
            Transpose(slice, h, w, transposed);
            ApplyToColumns(transposed, w, h, 0, h, scratch.AsSpan(plane, h));
            Transpose(transposed, w, h, slice);
            return scratch;
        }, _ => { });
    }

    private static Span<double> Row(Span<double> block, int m, int from, int width, int i) => block.Slice(i * m + from, width);

    private static void Transpose(ReadOnlySpan<double> source, int rows, int columns, Span<double> target)
    {
        const int tile = 32;
        for (var i0 = 0; i0 < rows; i0 += tile)
        {
            for (var j0 = 0; j0 < columns; j0 += tile)
            {
                int i1 = Math.Min(rows, i0 + tile), j1 = Math.Min(columns, j0 + tile);
                for (var i = i0; i < i1; i++)
                {
                    for (var j = j0; j < j1; j++)
                        target[j * rows + i] = source[i * columns + j];
                }
            }
        }
    }
}
