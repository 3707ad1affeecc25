namespace InnerEye.Inference;

/// <summary>nnU-Net's patch weighting (<c>compute_gaussian</c>, σ = patch/8, peak 10, float16).</summary>
public static class GaussianImportance
{
    /// <summary>
    /// The weights of a [z, y, x] patch, x fastest: 10 · Π exp(−(i − p/2)² / (2 (p/8)²)) rounded to float16 (p/2 rounded
    /// down), and every weight that underflows to 0 replaced by the smallest non-zero one, as nnU-Net does.
    /// </summary>
    public static Half[] Map(int[] patch)
    {
        ArgumentNullException.ThrowIfNull(patch);
        var axes = new double[3][];
        for (var a = 0; a < 3; a++)
        {
            var p = patch[a];
            var sigma = p / 8.0;
            axes[a] = new double[p];
            for (var i = 0; i < p; i++)
            {
                var d = i - p / 2;
                axes[a][i] = Math.Exp(-(double)d * d / (2 * sigma * sigma));
            }
        }
        var map = new Half[patch[0] * patch[1] * patch[2]];
        var n = 0;
        for (var z = 0; z < patch[0]; z++)
        {
            for (var y = 0; y < patch[1]; y++)
            {
                for (var x = 0; x < patch[2]; x++)
                    map[n++] = (Half)(10 * axes[0][z] * axes[1][y] * axes[2][x]);
            }
        }

        var smallest = Half.MaxValue;
        foreach (var v in map)
            if (v > Half.Zero && v < smallest) smallest = v;
        for (var i = 0; i < map.Length; i++)
            if (map[i] == Half.Zero) map[i] = smallest;
        return map;
    }
}
