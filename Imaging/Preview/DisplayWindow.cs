using InnerEye.Imaging.Series;

namespace InnerEye.Imaging.Preview;

/// <summary>The grey-level window of a preview: values from <see cref="Low"/> (black) to <see cref="High"/> (white).</summary>
public sealed record DisplayWindow(double Low, double High)
{
    /// <summary>CT's soft-tissue window: level 40 HU, width 400 HU.</summary>
    public static DisplayWindow SoftTissue { get; } = new(40 - 200, 40 + 200);

    /// <summary>At most this many voxels are sampled (evenly spaced) for the percentiles of a non-CT volume.</summary>
    public const int MaxSamples = 1 << 20;

    /// <summary>CT: <see cref="SoftTissue"/>; any other modality (MR, PET): the 1st to 99th percentile of the voxels.</summary>
    public static DisplayWindow For(ImageVolume volume, string modality)
    {
        ArgumentNullException.ThrowIfNull(volume);
        if (string.Equals(modality?.Trim(), "CT", StringComparison.OrdinalIgnoreCase)) return SoftTissue;
        var stride = Math.Max(1, volume.VoxelCount / MaxSamples);
        var samples = new List<float>((int)Math.Min(volume.VoxelCount, MaxSamples + 1));
        for (var n = 0L; n < volume.VoxelCount; n += stride)
            samples.Add(volume.Slices[n / volume.SliceLength][n % volume.SliceLength]);
        samples.Sort();
        var low = samples[(int)((samples.Count - 1) * 0.01)];
        var high = samples[(int)((samples.Count - 1) * 0.99)];
        return high > low ? new DisplayWindow(low, high) : new DisplayWindow(low, low + 1);
    }

    public byte Grey(float value) => (byte)Math.Round(Math.Clamp((value - Low) / (High - Low), 0, 1) * 255);
}
