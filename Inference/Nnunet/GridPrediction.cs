using System.Numerics.Tensors;

namespace InnerEye.Inference;

/// <summary>What <see cref="GridPrediction.Run"/> needs besides the image: the network's tiling and averaging.</summary>
/// <param name="Patch">Patch size [z, y, x].</param>
/// <param name="StepFraction">nnU-Net's tile_step_size, or null to step by <paramref name="Patch"/> − <paramref name="Overlap"/>.</param>
/// <param name="Overlap">Overlap [z, y, x] in voxels, used when <paramref name="StepFraction"/> is null and by linear blending.</param>
/// <param name="MirrorAxes">Array axes whose flips (every combination) are averaged with the plain prediction.</param>
/// <param name="BatchSize">Network inputs per run (1 where the batch axis is fixed).</param>
public sealed record GridPredictionSettings(int[] Patch, double? StepFraction, int[] Overlap, Blending Blending, int[] MirrorAxes, int BatchSize,
    AccumulatorPrecision Accumulator, int OutputChannels)
{
    public static GridPredictionSettings For(ModelConfig model, bool dynamicBatch)
    {
        ArgumentNullException.ThrowIfNull(model);
        var w = model.SlidingWindow;
        return new GridPredictionSettings(model.Preprocessing.PatchSize, w.StepFraction, model.Preprocessing.PatchOverlap, w.Blending,
            model.MirrorAxes, dynamicBatch ? w.BatchSize : 1, w.Accumulator, model.OutputChannels);
    }
}

/// <summary>
/// nnU-Net's sliding-window prediction on a whole grid (<c>predict_sliding_window_return_logits</c> and the fold
/// loop of <c>predict_logits_from_preprocessed_data</c>): the image is padded with 0 to at least one patch, tiles are
/// placed by <see cref="SlidingWindowSteps"/> (z outermost), each tile is predicted plain and mirrored along every
/// combination of the mirror axes and averaged (float32), weighted by the Gaussian (or linear ramps), accumulated,
/// divided by the summed weights, and the folds' results averaged. With a float16 accumulator every sum is rounded
/// to float16 as nnU-Net's half tensors do. Tiles and their mirrored copies are batched per network run.
/// </summary>
public static class GridPrediction
{
    /// <summary>
    /// Predicts <paramref name="channels"/> (each a [z, y, x] array of <paramref name="shape"/>) with every network of
    /// <paramref name="folds"/>; returns the averaged output, one [z, y, x] array per output channel.
    /// </summary>
    public static float[][] Run(IReadOnlyList<IPatchPredictor> folds, IReadOnlyList<float[]> channels, int[] shape, GridPredictionSettings settings,
        IProgress<int>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(folds);
        ArgumentNullException.ThrowIfNull(channels);
        ArgumentNullException.ThrowIfNull(settings);
        if (folds.Count == 0) throw new ArgumentException("No network to run.", nameof(folds));
        var patch = settings.Patch;
        int[] padded = [Math.Max(shape[0], patch[0]), Math.Max(shape[1], patch[1]), Math.Max(shape[2], patch[2])];
        int[] below = [(padded[0] - shape[0]) / 2, (padded[1] - shape[1]) / 2, (padded[2] - shape[2]) / 2];
        var starts = new int[3][];
        for (var a = 0; a < 3; a++)
        {
            starts[a] = settings.StepFraction is { } step ? SlidingWindowSteps.Starts(padded[a], patch[a], step)
                : SlidingWindowInference.PatchStarts(padded[a], patch[a], settings.Overlap[a]);
        }

        var tiles = (from z in starts[0] from y in starts[1] from x in starts[2] select new[] { z, y, x }).ToArray();
        var weightMap = WeightMap(settings);
        var round = settings.Accumulator == AccumulatorPrecision.Float16;

        var grid = new Grid(padded);
        var weights = new float[grid.Count];
        foreach (var tile in tiles) Accumulate([weights], grid, tile, patch, weightMap, null, round);

        var combinations = MirrorCombinations(settings.MirrorAxes);
        var ensemble = new float[settings.OutputChannels][];
        var done = 0;
        var total = tiles.Length * folds.Count;
        foreach (var fold in folds)
        {
            var sums = new float[settings.OutputChannels][];
            for (var k = 0; k < sums.Length; k++) sums[k] = new float[grid.Count];
            var runner = new TileRunner(fold, channels, shape, below, settings, combinations);
            runner.Run(tiles, (tile, prediction) =>
            {
                Accumulate(sums, grid, tile, patch, weightMap, prediction, round);
                progress?.Report(100 * Interlocked.Increment(ref done) / total);
            }, cancellationToken);
            for (var k = 0; k < sums.Length; k++)
            {
                Divide(sums[k], weights, round);
                if (ensemble[k] is null) ensemble[k] = sums[k];
                else Add(ensemble[k], sums[k], round);
            }
        }
        if (folds.Count > 1)
            foreach (var k in ensemble) Scale(k, folds.Count, round);
        return [.. ensemble.Select(k => NonzeroCrop.Crop(k, padded, new CropBox(below,
            [below[0] + shape[0], below[1] + shape[1], below[2] + shape[2]])))];
    }

    /// <summary>The non-empty combinations of the axes in itertools.combinations order: by size, then lexicographically.</summary>
    public static IReadOnlyList<int[]> MirrorCombinations(int[] axes)
    {
        ArgumentNullException.ThrowIfNull(axes);
        var result = new List<int[]>();
        for (var size = 1; size <= axes.Length; size++) Combine(axes, size, 0, [], result);
        return result;

        static void Combine(int[] axes, int size, int from, List<int> current, List<int[]> result)
        {
            if (current.Count == size)
            {
                result.Add([.. current]);
                return;
            }
            for (var i = from; i < axes.Length; i++)
            {
                current.Add(axes[i]);
                Combine(axes, size, i + 1, current, result);
                current.RemoveAt(current.Count - 1);
            }
        }
    }

    /// <summary>The per-voxel weight of a patch: nnU-Net's Gaussian, or separable linear ramps over the overlap.</summary>
    public static float[] WeightMap(GridPredictionSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var patch = settings.Patch;
        if (settings.Blending == Blending.Gaussian)
        {
            var half = GaussianImportance.Map(patch);
            var map = new float[half.Length];
            TensorPrimitives.ConvertToSingle(half, map);
            return map;
        }
        var overlap = settings.StepFraction is { } f
            ? [.. patch.Select(p => p - (int)Math.Round(p * f, MidpointRounding.ToEven))] : settings.Overlap;
        var wz = SlidingWindowInference.BlendWeights(patch[0], overlap[0]);
        var wy = SlidingWindowInference.BlendWeights(patch[1], overlap[1]);
        var wx = SlidingWindowInference.BlendWeights(patch[2], overlap[2]);
        var linear = new float[patch[0] * patch[1] * patch[2]];
        var n = 0;
        for (var z = 0; z < patch[0]; z++)
        {
            for (var y = 0; y < patch[1]; y++)
            {
                for (var x = 0; x < patch[2]; x++)
                    linear[n++] = wz[z] * wy[y] * wx[x];
            }
        }

        return linear;
    }

    private readonly record struct Grid(int[] Shape)
    {
        public int Count => Shape[0] * Shape[1] * Shape[2];
    }

    /// <summary>
    /// targets[k][tile] += values[k] · weights (or += weights when <paramref name="values"/> is null), the product in
    /// float32 and the sum rounded to float16 when <paramref name="round"/>; in parallel over channels and slices.
    /// </summary>
    private static void Accumulate(float[][] targets, Grid grid, int[] tile, int[] patch, float[] weightMap, float[][]? values, bool round)
    {
        int pz = patch[0], py = patch[1], px = patch[2], ny = grid.Shape[1], nx = grid.Shape[2];
        Parallel.For(0, targets.Length * pz, item =>
        {
            var k = item / pz;
            var z = item % pz;
            var target = targets[k];
            Span<float> row = stackalloc float[px];
            var halves = px <= 2048 ? stackalloc Half[px] : new Half[px];
            for (var y = 0; y < py; y++)
            {
                var p = (z * py + y) * px;
                var t = target.AsSpan(((tile[0] + z) * ny + tile[1] + y) * nx + tile[2], px);
                var w = weightMap.AsSpan(p, px);
                if (values is null)
                {
                    TensorPrimitives.Add(t, w, row);
                }
                else
                {
                    // Product and sum rounded separately, as two float32 tensor operations are.
                    TensorPrimitives.Multiply(values[k].AsSpan(p, px), w, row);
                    TensorPrimitives.Add(row, t, row);
                }
                if (round)
                {
                    TensorPrimitives.ConvertToHalf(row, halves);
                    TensorPrimitives.ConvertToSingle(halves, t);
                }
                else
                {
                    row.CopyTo(t);
                }
            }
        });
    }

    private static void Divide(float[] sums, float[] weights, bool round)
    {
        TensorPrimitives.Divide(sums, weights, sums);
        if (round) RoundToHalf(sums);
    }

    private static void Add(float[] target, float[] values, bool round)
    {
        TensorPrimitives.Add(target, values, target);
        if (round) RoundToHalf(target);
    }

    private static void Scale(float[] target, int folds, bool round)
    {
        TensorPrimitives.Divide(target, folds, target);
        if (round) RoundToHalf(target);
    }

    private static void RoundToHalf(float[] values)
    {
        const int chunk = 1 << 16;
        Parallel.For(0, (values.Length + chunk - 1) / chunk, c =>
        {
            var span = values.AsSpan(c * chunk, Math.Min(chunk, values.Length - c * chunk));
            var halves = new Half[span.Length];
            TensorPrimitives.ConvertToHalf(span, halves);
            TensorPrimitives.ConvertToSingle(halves, span);
        });
    }
}
