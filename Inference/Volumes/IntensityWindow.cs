using InnerEye.Imaging.Series;

namespace InnerEye.Inference;

/// <summary>
/// Maps intensities (HU for CT) onto the network's input range: clamp to [level − width/2, level + width/2], then map
/// that interval linearly onto [outputMin, outputMax].
/// </summary>
public static class IntensityWindow
{
    public static float Apply(float value, WindowConfig window)
    {
        ArgumentNullException.ThrowIfNull(window);
        var (lo, scale) = Coefficients(window);
        return Map(value, lo, window.Width, scale, window.OutputMin);
    }

    /// <summary>Windows <paramref name="values"/> into <paramref name="output"/> (which may be the same memory).</summary>
    public static void Apply(ReadOnlySpan<float> values, Span<float> output, WindowConfig window)
    {
        ArgumentNullException.ThrowIfNull(window);
        if (output.Length < values.Length) throw new ArgumentException("The output is shorter than the input.", nameof(output));
        var (lo, scale) = Coefficients(window);
        for (var i = 0; i < values.Length; i++) output[i] = Map(values[i], lo, window.Width, scale, window.OutputMin);
    }

    /// <summary>A windowed copy of <paramref name="volume"/> on the same grid.</summary>
    public static ImageVolume Apply(ImageVolume volume, WindowConfig window)
    {
        ArgumentNullException.ThrowIfNull(volume);
        var slices = new float[volume.SizeZ][];
        Parallel.For(0, volume.SizeZ, k =>
        {
            slices[k] = new float[volume.SliceLength];
            Apply(volume.Slices[k], slices[k], window);
        });
        return new ImageVolume(volume.SizeX, volume.SizeY, [.. volume.Spacing], [.. volume.Origin], [.. volume.Direction],
            slices) { Lossy = volume.Lossy };
    }

    /// <summary>Windows <paramref name="volume"/> in place.</summary>
    public static void ApplyInPlace(ImageVolume volume, WindowConfig window)
    {
        ArgumentNullException.ThrowIfNull(volume);
        Parallel.For(0, volume.SizeZ, k => Apply(volume.Slices[k], volume.Slices[k], window));
    }

    private static (double Lo, double Scale) Coefficients(WindowConfig w) =>
        (w.Level - w.Width / 2, (w.OutputMax - w.OutputMin) / w.Width);

    private static float Map(float value, double lo, double width, double scale, double outputMin)
    {
        var v = value - lo;
        v = v < 0 ? 0 : v > width ? width : v;
        return (float)(outputMin + v * scale);
    }
}
