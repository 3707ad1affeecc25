namespace InnerEye.Inference;

/// <summary>
/// Where each output sample of a one-axis zoom reads and with which weights, as
/// <c>scipy.ndimage.zoom(order, mode='nearest', grid_mode=True)</c> (scipy 1.10) computes it: output <c>i</c> sits at
/// input coordinate <c>c = (i + 0.5)·in/out − 0.5</c>, evaluated in that order in float64. The taps index the
/// coefficient line: the input itself for orders 0 and 1, for order 3 the input edge-padded by
/// <see cref="CubicPadding"/> samples on each side and prefiltered (<see cref="CubicSplinePrefilter"/>).
/// </summary>
/// <remarks>
/// With mode 'nearest' scipy does not clamp the coordinate, it clamps each tap index to the line; the weights come from
/// the unclamped coordinate. Order 0 takes tap <c>floor(c + 0.5)</c> (ties go up), order 1 taps <c>floor(c)</c> and the
/// next, order 3 taps <c>floor(c) − 1 .. floor(c) + 2</c>.
/// </remarks>
public sealed class ZoomPlan
{
    /// <summary>scipy pads a line by this many edge samples on each side before the cubic prefilter (mode 'nearest').</summary>
    public const int CubicPadding = 12;

    private readonly int[] _index;
    private readonly double[] _weights;

    private ZoomPlan(int inLength, int outLength, int order, int[] index, double[] weights)
    {
        InLength = inLength;
        OutLength = outLength;
        Order = order;
        _index = index;
        _weights = weights;
    }

    public int InLength { get; }

    public int OutLength { get; }

    /// <summary>The spline order: 0 (nearest), 1 (linear) or 3 (cubic B-spline).</summary>
    public int Order { get; }

    /// <summary>Taps per output sample: <see cref="Order"/> + 1.</summary>
    public int Taps => Order + 1;

    /// <summary>Edge samples added on each side of the input to make the coefficient line.</summary>
    public int Padding => Order == 3 ? CubicPadding : 0;

    /// <summary>Length of the coefficient line the taps index.</summary>
    public int CoefficientLength => InLength + 2 * Padding;

    /// <summary><see cref="Taps"/> indices into the coefficient line per output sample, already clamped to it.</summary>
    public ReadOnlySpan<int> Index => _index;

    /// <summary><see cref="Taps"/> weights per output sample (1 for order 0).</summary>
    public ReadOnlySpan<double> Weights => _weights;

    public static ZoomPlan Create(int inLength, int outLength, int order)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(inLength, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(outLength, 1);
        if (order is not (0 or 1 or 3)) throw new ArgumentOutOfRangeException(nameof(order), order, "Spline order must be 0, 1 or 3.");

        var taps = order + 1;
        var padding = order == 3 ? CubicPadding : 0;
        var length = inLength + 2 * padding;
        var zoom = (double)inLength / outLength;
        var index = new int[outLength * taps];
        var weights = new double[outLength * taps];
        for (var i = 0; i < outLength; i++)
        {
            var c = (double)i;
            c += 0.5;
            c *= zoom;
            c -= 0.5;
            c += padding;
            var start = order == 0 ? (long)Math.Floor(c + 0.5) : (long)Math.Floor(c) - order / 2;
            for (var t = 0; t < taps; t++)
                index[i * taps + t] = (int)Math.Clamp(start + t, 0, length - 1);
            Weigh(c, order, weights.AsSpan(i * taps, taps));
        }
        return new ZoomPlan(inLength, outLength, order, index, weights);
    }

    /// <summary>scipy's <c>get_spline_interpolation_weights</c>, operation for operation.</summary>
    private static void Weigh(double c, int order, Span<double> w)
    {
        if (order == 0)
        {
            w[0] = 1;
            return;
        }
        var x = c - Math.Floor(c);
        if (order == 3)
        {
            var y = x;
            var z = 1.0 - x;
            w[1] = (y * y * (y - 2.0) * 3.0 + 4.0) / 6.0;
            w[2] = (z * z * (z - 2.0) * 3.0 + 4.0) / 6.0;
            w[0] = z * z * z / 6.0;
        }
        else
        {
            w[0] = 1.0 - x;
        }
        // The last weight is what the others leave of 1.
        w[order] = 1.0;
        for (var k = 0; k < order; k++) w[order] -= w[k];
    }
}
