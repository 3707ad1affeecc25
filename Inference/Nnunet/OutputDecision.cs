using System.Numerics.Tensors;

namespace InnerEye.Inference;

/// <summary>Labels (and region masks) from a network's output channels, as nnU-Net's LabelManager decides them.</summary>
public sealed record OutputDecision(byte[] Labels, IReadOnlyList<bool[]>? RegionMasks, float[][] Probabilities)
{
    /// <summary>
    /// Softmax: probabilities = softmax of the logits in float32 (or the network's probabilities as they are), label =
    /// the first class with the largest probability. Sigmoid: probability = sigmoid of each channel, region i present
    /// where it exceeds 0.5; label = the last present region's structure (nnU-Net's regions_class_order), the masks keep
    /// overlaps.
    /// </summary>
    public static OutputDecision Decide(float[][] scores, OutputConfig output, int voxels, bool keepProbabilities = true)
    {
        ArgumentNullException.ThrowIfNull(scores);
        ArgumentNullException.ThrowIfNull(output);
        var labels = new byte[voxels];
        var k = scores.Length;
        if (output.Activation == OutputActivation.Softmax)
        {
            var store = output.Kind == OutputKind.Logits && keepProbabilities;
            var probabilities = store ? [.. scores.Select(_ => new float[voxels])] : output.Kind == OutputKind.Logits ? [] : scores;
            const int chunk = 4096;
            Parallel.For(0, (voxels + chunk - 1) / chunk, block =>
            {
                Span<float> v = stackalloc float[k];
                var end = Math.Min(voxels, (block + 1) * chunk);
                for (var i = block * chunk; i < end; i++)
                {
                    for (var c = 0; c < k; c++) v[c] = scores[c][i];
                    if (output.Kind == OutputKind.Logits)
                    {
                        Softmax(v);
                        if (store)
                            for (var c = 0; c < k; c++) probabilities[c][i] = v[c];
                    }
                    var best = 0;
                    for (var c = 1; c < k; c++)
                        if (v[c] > v[best]) best = c;
                    labels[i] = (byte)best;
                }
            });
            return new OutputDecision(labels, null, probabilities);
        }
        var masks = new bool[k][];
        // Regions: each channel on its own.
        var sigmoid = new float[k][];
        for (var c = 0; c < k; c++)
        {
            sigmoid[c] = output.Kind == OutputKind.Logits ? new float[voxels] : scores[c];
            if (output.Kind == OutputKind.Logits) TensorPrimitives.Sigmoid(scores[c], sigmoid[c]);
            masks[c] = new bool[voxels];
            for (var i = 0; i < voxels; i++)
            {
                if (!(sigmoid[c][i] > 0.5f)) continue;
                masks[c][i] = true;
                labels[i] = (byte)(c + 1);
            }
        }
        return new OutputDecision(labels, masks, sigmoid);
    }

    /// <summary>Softmax in float32 as torch computes it: shifted by the maximum, scaled by the reciprocal of the sum.</summary>
    private static void Softmax(Span<float> v)
    {
        var max = TensorPrimitives.Max(v);
        var sum = 0f;
        for (var c = 0; c < v.Length; c++)
        {
            v[c] = MathF.Exp(v[c] - max);
            sum += v[c];
        }
        var scale = 1 / sum;
        for (var c = 0; c < v.Length; c++) v[c] *= scale;
    }
}
