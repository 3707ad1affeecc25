namespace InnerEye.Inference;

/// <summary>Where a continuous coordinate falls between two samples of an axis.</summary>
internal static class Interpolation
{
    private const double Tolerance = 1e-6;

    /// <summary>
    /// Splits coordinate <paramref name="m"/> on an axis of <paramref name="n"/> samples into i0, i1 = i0 + 1 and the
    /// weight t of i1. A sample stands for the half voxel around it: coordinates in [−0.5, n − 0.5] are inside and are
    /// clamped to [0, n − 1] (edge replication); anything further out returns false.
    /// </summary>
    public static bool Axis(double m, int n, out int i0, out int i1, out double t)
    {
        if (!(m >= -0.5 - Tolerance && m <= n - 0.5 + Tolerance))
        {
            i0 = i1 = 0;
            t = 0;
            return false;
        }
        var c = m < 0 ? 0 : m > n - 1 ? n - 1 : m;
        i0 = (int)c;
        if (i0 >= n - 1)
        {
            i0 = i1 = n - 1;
            t = 0;
        }
        else
        {
            i1 = i0 + 1;
            t = c - i0;
        }
        return true;
    }
}
