namespace InnerEye.Inference;

/// <summary>nnU-Net's normalisation schemes (and the service's window), applied in place in float32 as nnU-Net does.</summary>
public static class ChannelNormalization
{
    /// <summary>
    /// Normalises one channel. <paramref name="nonzeroMask"/> (the hole-filled nonzero mask after cropping) is used by
    /// <see cref="NormalizationScheme.ZScore"/> with <see cref="NormalizationConfig.NonzeroMaskOnly"/>: mean and std
    /// over the mask, voxels outside it left as they are.
    /// </summary>
    public static void Apply(float[] data, NormalizationConfig config, bool[]? nonzeroMask)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(config);
        switch (config.Scheme)
        {
            case NormalizationScheme.CtClipZScore:
            {
                float lower = (float)config.Lower, upper = (float)config.Upper, mean = (float)config.Mean;
                var std = (float)Math.Max(config.Std, 1e-8);
                for (var i = 0; i < data.Length; i++) data[i] = (Math.Clamp(data[i], lower, upper) - mean) / std;
                break;
            }
            case NormalizationScheme.ZScore:
            {
                var useMask = config.NonzeroMaskOnly && nonzeroMask is not null;
                double sum = 0, sumSquares = 0;
                long count = 0;
                for (var i = 0; i < data.Length; i++)
                {
                    if (useMask && !nonzeroMask![i]) continue;
                    sum += data[i];
                    count++;
                }
                var meanD = count > 0 ? sum / count : 0;
                for (var i = 0; i < data.Length; i++)
                {
                    if (useMask && !nonzeroMask![i]) continue;
                    var d = data[i] - meanD;
                    sumSquares += d * d;
                }
                var mean = (float)meanD;
                var std = (float)Math.Max(count > 0 ? Math.Sqrt(sumSquares / count) : 0, 1e-8);
                for (var i = 0; i < data.Length; i++)
                    if (!useMask || nonzeroMask![i]) data[i] = (data[i] - mean) / std;
                break;
            }
            case NormalizationScheme.Rescale01:
            {
                var min = data.Length > 0 ? data.Min() : 0;
                for (var i = 0; i < data.Length; i++) data[i] -= min;
                var max = Math.Max(data.Length > 0 ? data.Max() : 0, 1e-8f);
                for (var i = 0; i < data.Length; i++) data[i] /= max;
                break;
            }
            case NormalizationScheme.Window:
                IntensityWindow.Apply(data, data, config.Window ?? throw new ArgumentException("A window normalisation needs its window.",
                    nameof(config)));
                break;
            case NormalizationScheme.None:
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(config), config.Scheme, "Unknown normalisation scheme.");
        }
    }
}
