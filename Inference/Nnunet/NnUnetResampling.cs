namespace InnerEye.Inference;

/// <summary>
/// nnU-Net v2's resampling of images and of logits/probabilities: <c>compute_new_shape</c>,
/// <c>determine_do_sep_z_and_axis</c> and <c>resample_data_or_seg_to_shape(is_seg=False)</c> of
/// <c>nnunetv2/preprocessing/resampling/default_resampling.py</c> (nnU-Net 2.8.1, scikit-image 0.19, scipy 1.10).
/// Arrays are one channel in C order [z, y, x] (x fastest); shapes and spacings are in the same axis order.
/// </summary>
public static class NnUnetResampling
{
    /// <summary>nnU-Net's <c>ANISO_THRESHOLD</c>.</summary>
    public const double DefaultAnisotropyThreshold = 3;

    /// <summary><c>int(round(spacing[i] / targetSpacing[i] * shape[i]))</c>, rounding half to even as Python does.</summary>
    public static int[] NewShape(int[] shape, double[] spacing, double[] targetSpacing)
    {
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(spacing);
        ArgumentNullException.ThrowIfNull(targetSpacing);
        if (spacing.Length != shape.Length || targetSpacing.Length != shape.Length)
            throw new ArgumentException("Shape, spacing and target spacing must have the same number of axes.");
        var result = new int[shape.Length];
        for (var i = 0; i < shape.Length; i++)
            result[i] = checked((int)Math.Round(spacing[i] / targetSpacing[i] * shape[i], MidpointRounding.ToEven));
        return result;
    }

    /// <summary>
    /// Whether to resample the in-plane axes first and the out-of-plane axis on its own, and which axis that is (−1 when
    /// not): with <paramref name="forceSeparateZ"/> null, separate when max/min of the current spacing exceeds the
    /// threshold (axis: the current spacing's largest), else when the new spacing's does (axis: the new spacing's
    /// largest); true forces it with the current spacing's largest axis, false forbids it. Never when the largest
    /// spacing is shared by two or three axes.
    /// </summary>
    public static (bool SeparateZ, int Axis) SeparateZAxis(double[] currentSpacing, double[] newSpacing,
        double anisotropyThreshold = DefaultAnisotropyThreshold, bool? forceSeparateZ = null)
    {
        ArgumentNullException.ThrowIfNull(currentSpacing);
        ArgumentNullException.ThrowIfNull(newSpacing);
        int[]? axes;
        if (forceSeparateZ is { } force)
            axes = force ? LowResolutionAxes(currentSpacing) : null;
        else if (IsAnisotropic(currentSpacing, anisotropyThreshold))
            axes = LowResolutionAxes(currentSpacing);
        else if (IsAnisotropic(newSpacing, anisotropyThreshold))
            axes = LowResolutionAxes(newSpacing);
        else
            axes = null;
        return axes is [var axis] ? (true, axis) : (false, -1);
    }

    /// <summary>
    /// Resamples one channel of <paramref name="shape"/> to <paramref name="newShape"/> as nnU-Net resamples images
    /// (<paramref name="order"/> 3, <paramref name="orderZ"/> 0) and logits (1 and 0). When the shapes are equal
    /// <paramref name="data"/> itself is returned, untouched.
    /// </summary>
    public static float[] Resample(float[] data, int[] shape, int[] newShape, double[] currentSpacing, double[] newSpacing, int order, int orderZ,
        bool? forceSeparateZ, double anisotropyThreshold = DefaultAnisotropyThreshold, CancellationToken cancellationToken = default) =>
        NnUnetResampler.Resample(data, shape, newShape, SeparateZAxis(currentSpacing, newSpacing, anisotropyThreshold, forceSeparateZ),
            order, orderZ, cancellationToken);

    /// <summary>
    /// The same for float16 logits: computed in float64 and rounded to float16, as nnU-Net does when the logits it
    /// resamples are float16.
    /// </summary>
    public static Half[] Resample(Half[] data, int[] shape, int[] newShape, double[] currentSpacing, double[] newSpacing, int order, int orderZ,
        bool? forceSeparateZ, double anisotropyThreshold = DefaultAnisotropyThreshold, CancellationToken cancellationToken = default) =>
        NnUnetResampler.Resample(data, shape, newShape, SeparateZAxis(currentSpacing, newSpacing, anisotropyThreshold, forceSeparateZ),
            order, orderZ, cancellationToken);

    /// <summary>Resamples with a decision already made by <see cref="SeparateZAxis"/> (nnU-Net's <c>resample_data_or_seg</c>).</summary>
    public static float[] Resample(float[] data, int[] shape, int[] newShape, (bool SeparateZ, int Axis) separateZ, int order, int orderZ,
        CancellationToken cancellationToken = default) =>
        NnUnetResampler.Resample(data, shape, newShape, separateZ, order, orderZ, cancellationToken);

    /// <summary>Resamples float16 logits with a decision already made by <see cref="SeparateZAxis"/>.</summary>
    public static Half[] Resample(Half[] data, int[] shape, int[] newShape, (bool SeparateZ, int Axis) separateZ, int order, int orderZ,
        CancellationToken cancellationToken = default) =>
        NnUnetResampler.Resample(data, shape, newShape, separateZ, order, orderZ, cancellationToken);

    private static bool IsAnisotropic(double[] spacing, double threshold) => spacing.Max() / spacing.Min() > threshold;

    /// <summary>nnU-Net's <c>get_lowres_axis</c>: the axes whose spacing equals the largest (max / s == 1).</summary>
    private static int[] LowResolutionAxes(double[] spacing)
    {
        var max = spacing.Max();
        return [.. Enumerable.Range(0, spacing.Length).Where(i => max / spacing[i] == 1)];
    }
}
