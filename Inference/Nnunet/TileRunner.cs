namespace InnerEye.Inference;

/// <summary>
/// Feeds one network the tiles of a grid, each plain and mirrored along every axis combination, in batches; hands back
/// each tile's prediction averaged over its mirrored copies (nnU-Net's <c>_internal_maybe_mirror_and_predict</c>).
/// Tiles are cut from the unpadded image with 0 outside it (nnU-Net pads with 0 in normalised units).
/// </summary>
internal sealed class TileRunner(IPatchPredictor network, IReadOnlyList<float[]> channels, int[] shape, int[] padBelow,
    GridPredictionSettings settings, IReadOnlyList<int[]> mirrorCombinations)
{
    private readonly int[] _patch = settings.Patch;
    private int PatchVoxels => _patch[0] * _patch[1] * _patch[2];

    /// <summary>Runs every tile in order; <paramref name="onTile"/> gets the tile's start and its [K][patch] prediction.</summary>
    public void Run(IReadOnlyList<int[]> tiles, Action<int[], float[][]> onTile, CancellationToken cancellationToken)
    {
        var variants = 1 + mirrorCombinations.Count;
        var channelCount = channels.Count;
        var batch = Math.Max(1, settings.BatchSize);
        var inputLength = channelCount * PatchVoxels;
        var input = new float[batch * inputLength];
        var pending = new List<(int Tile, int Variant)>(batch);
        var predictions = new Dictionary<int, float[][]>();
        // A tile's buffers are reused once it has been handed over (every value is written before it is read again).
        var spare = new Stack<float[][]>();
        var nextToHandOver = 0;

        void Flush()
        {
            if (pending.Count == 0) return;
            long[] inputShape = [pending.Count, channelCount, _patch[0], _patch[1], _patch[2]];
            using var result = network.Predict(input.AsMemory(0, pending.Count * inputLength), inputShape, cancellationToken);
            var data = result.Data;
            var outputLength = settings.OutputChannels * PatchVoxels;
            if (data.Length != pending.Count * outputLength)
            {
                throw new InferenceException("UnexpectedOutputShape",
                    $"The network returned {data.Length} values for {pending.Count} patch(es) of [{string.Join(", ", _patch)}] with " +
                    $"{settings.OutputChannels} channels; expected {pending.Count * outputLength}.");
            }

            for (var b = 0; b < pending.Count; b++)
            {
                var (tile, variant) = pending[b];
                if (!predictions.TryGetValue(tile, out var sum))
                {
                    sum = spare.Count > 0 ? spare.Pop() : NewPrediction();
                    predictions[tile] = sum;
                }
                var output = data.Slice(b * outputLength, outputLength);
                for (var k = 0; k < sum.Length; k++)
                {
                    var channel = output.Slice(k * PatchVoxels, PatchVoxels);
                    if (variant == 0) channel.CopyTo(sum[k]);
                    else AddFlipped(channel, sum[k], mirrorCombinations[variant - 1]);
                }
            }
            pending.Clear();
            // Hand over, in order, every tile whose copies have all been added.
            while (nextToHandOver < tiles.Count && predictions.TryGetValue(nextToHandOver, out var complete)
                   && !IsStillPending(nextToHandOver))
            {
                if (variants > 1)
                {
                    foreach (var k in complete)
                        System.Numerics.Tensors.TensorPrimitives.Divide(k, variants, k);
                }

                onTile(tiles[nextToHandOver], complete);
                predictions.Remove(nextToHandOver);
                spare.Push(complete);
                nextToHandOver++;
            }
        }

        bool IsStillPending(int tile) => tile >= _queuedThrough;

        for (var t = 0; t < tiles.Count; t++)
        {
            for (var v = 0; v < variants; v++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var slot = input.AsSpan(pending.Count * inputLength, inputLength);
                CutTile(tiles[t], slot, v == 0 ? [] : mirrorCombinations[v - 1]);
                pending.Add((t, v));
                if (v == variants - 1) _queuedThrough = t + 1;
                if (pending.Count == batch) Flush();
            }
        }
        Flush();
    }

    private int _queuedThrough;

    private float[][] NewPrediction()
    {
        var prediction = new float[settings.OutputChannels][];
        for (var k = 0; k < prediction.Length; k++) prediction[k] = new float[PatchVoxels];
        return prediction;
    }

    /// <summary>Copies the tile at <paramref name="start"/> (padded coordinates) of every channel, flipped along <paramref name="flip"/>.</summary>
    private void CutTile(int[] start, Span<float> slot, int[] flip)
    {
        int pz = _patch[0], py = _patch[1], px = _patch[2];
        bool fz = flip.Contains(0), fy = flip.Contains(1), fx = flip.Contains(2);
        for (var c = 0; c < channels.Count; c++)
        {
            var source = channels[c];
            for (var z = 0; z < pz; z++)
            {
                var sz = start[0] + (fz ? pz - 1 - z : z) - padBelow[0];
                for (var y = 0; y < py; y++)
                {
                    var sy = start[1] + (fy ? py - 1 - y : y) - padBelow[1];
                    var row = slot.Slice(((c * pz + z) * py + y) * px, px);
                    if (sz < 0 || sz >= shape[0] || sy < 0 || sy >= shape[1])
                    {
                        row.Clear();
                        continue;
                    }
                    var sx0 = start[2] - padBelow[2];
                    var line = ((long)sz * shape[1] + sy) * shape[2];
                    if (!fx && sx0 >= 0 && sx0 + px <= shape[2])
                    {
                        source.AsSpan((int)(line + sx0), px).CopyTo(row);
                        continue;
                    }
                    for (var x = 0; x < px; x++)
                    {
                        var sx = sx0 + (fx ? px - 1 - x : x);
                        row[x] = sx < 0 || sx >= shape[2] ? 0 : source[line + sx];
                    }
                }
            }
        }
    }

    /// <summary>sum += flip(output, axes): the prediction of a flipped input, flipped back.</summary>
    private void AddFlipped(ReadOnlySpan<float> output, float[] sum, int[] axes)
    {
        int pz = _patch[0], py = _patch[1], px = _patch[2];
        bool fz = axes.Contains(0), fy = axes.Contains(1), fx = axes.Contains(2);
        for (var z = 0; z < pz; z++)
        {
            var oz = fz ? pz - 1 - z : z;
            for (var y = 0; y < py; y++)
            {
                var oy = fy ? py - 1 - y : y;
                var src = output.Slice((oz * py + oy) * px, px);
                var dst = sum.AsSpan((z * py + y) * px, px);
                if (fx)
                    for (var x = 0; x < px; x++) dst[x] += src[px - 1 - x];
                else
                    System.Numerics.Tensors.TensorPrimitives.Add(dst, src, dst);
            }
        }
    }
}
