using System.Numerics;

namespace InnerEye.Inference;

/// <summary>
/// Element-wise steps of <see cref="CubicSplinePrefilter.ApplyToColumns"/>, vectorised: each element gets exactly the
/// operations, in the order, of the scalar expression in its comment (no fused multiply-add).
/// </summary>
internal static class Columns
{
    private static int Count => Vector<double>.Count;

    /// <summary>x *= a.</summary>
    public static void Scale(Span<double> x, double a)
    {
        var j = 0;
        var va = new Vector<double>(a);
        for (; j <= x.Length - Count; j += Count) (new Vector<double>(x[j..]) * va).CopyTo(x[j..]);
        for (; j < x.Length; j++) x[j] *= a;
    }

    /// <summary>x += y.</summary>
    public static void Add(Span<double> x, ReadOnlySpan<double> y)
    {
        var j = 0;
        for (; j <= x.Length - Count; j += Count) (new Vector<double>(x[j..]) + new Vector<double>(y[j..])).CopyTo(x[j..]);
        for (; j < x.Length; j++) x[j] += y[j];
    }

    /// <summary>x += a · y.</summary>
    public static void AddScaled(Span<double> x, double a, ReadOnlySpan<double> y)
    {
        var j = 0;
        var va = new Vector<double>(a);
        for (; j <= x.Length - Count; j += Count) (new Vector<double>(x[j..]) + va * new Vector<double>(y[j..])).CopyTo(x[j..]);
        for (; j < x.Length; j++) x[j] += a * y[j];
    }

    /// <summary>x += a · (y + b · u); u may be x itself (then its current value is read).</summary>
    public static void AddScaledSum(Span<double> x, double a, ReadOnlySpan<double> y, double b, ReadOnlySpan<double> u)
    {
        var j = 0;
        Vector<double> va = new(a), vb = new(b);
        for (; j <= x.Length - Count; j += Count)
            (new Vector<double>(x[j..]) + va * (new Vector<double>(y[j..]) + vb * new Vector<double>(u[j..]))).CopyTo(x[j..]);
        for (; j < x.Length; j++) x[j] += a * (y[j] + b * u[j]);
    }

    /// <summary>x = a · (y − x).</summary>
    public static void ScaleDifference(Span<double> x, double a, ReadOnlySpan<double> y)
    {
        var j = 0;
        var va = new Vector<double>(a);
        for (; j <= x.Length - Count; j += Count) (va * (new Vector<double>(y[j..]) - new Vector<double>(x[j..]))).CopyTo(x[j..]);
        for (; j < x.Length; j++) x[j] = a * (y[j] - x[j]);
    }
}
