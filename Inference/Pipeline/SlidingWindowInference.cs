using System.Buffers;
using InnerEye.Imaging.Series;

namespace InnerEye.Inference;

/// <summary>Runs a network on one input tensor [1, C, Z, Y, X]; <see cref="OnnxModelSession"/> is the real one.</summary>
public interface IPatchPredictor
{
    /// <summary>Runs on <paramref name="input"/> of <paramref name="shape"/>; the result is read, then disposed.</summary>
    IPatchResult Predict(Memory<float> input, long[] shape, CancellationToken cancellationToken);
}

/// <summary>One output tensor [1, K + 1, Z, Y, X].</summary>
public interface IPatchResult : IDisposable
{
    ReadOnlySpan<float> Data { get; }
    long[] Shape { get; }
}

/// <summary>
/// The class probabilities of model-grid slices [<see cref="BufferStart"/>, BufferStart + Depth), normalised. Slices
/// [<see cref="CoreStart"/>, <see cref="CoreEnd"/>) are the ones this slab answers for; the buffer holds one slice
/// more where there is one, for interpolation across the slab's end.
/// </summary>
public sealed class PosteriorSlab(int bufferStart, int depth, int coreStart, int coreEnd, float[][] classes)
{
    public int BufferStart { get; } = bufferStart;
    public int Depth { get; } = depth;
    public int CoreStart { get; } = coreStart;
    public int CoreEnd { get; } = coreEnd;

    /// <summary>One array per class of SizeX·SizeY·Depth values, x fastest.</summary>
    public float[][] Classes { get; } = classes;
}

/// <summary>
/// Sliding-window inference on the model grid. Patches of the configured size step across the volume with the
/// configured overlap; where the volume is larger than a patch the last patch on an axis is shifted inward to end at the
/// volume's edge, where it is smaller the patch is filled by edge replication, so the network always gets exactly the
/// patch size. Each patch's probabilities are blended with separable linear ramps over the overlap and normalised by
/// the summed weights. Patches run one at a time, in a fixed order (ONNX Runtime parallelises within a patch;
/// accumulation is parallel over the patch's slices), so results are deterministic.
/// </summary>
/// <remarks>
/// The K + 1 accumulators plus the weight sum take (K + 2)·4 bytes per model voxel. When that exceeds
/// <c>maxAccumulatorBytes</c> the volume is processed in z-slabs: each slab runs every patch that reaches into it (a
/// halo of up to one patch), in the same order as a single pass, and keeps only its own slices — so every voxel gets
/// the same sum of the same terms in the same order, and the result is bit for bit that of a single pass.
/// </remarks>
public static class SlidingWindowInference
{
    public const long DefaultMaxAccumulatorBytes = 1L << 30;

    /// <summary>Patch starts along an axis of <paramref name="size"/> voxels for an effective patch size (≥ 1).</summary>
    public static int[] PatchStarts(int size, int patch, int overlap)
    {
        if (size <= 0 || patch <= 0) throw new ArgumentOutOfRangeException(nameof(size), "Size and patch must be positive.");
        if (size <= patch) return [0];
        var stride = Math.Max(1, patch - Math.Clamp(overlap, 0, patch - 1));
        var starts = new List<int>();
        for (var s = 0; s + patch < size; s += stride) starts.Add(s);
        if (starts[^1] != size - patch) starts.Add(size - patch);
        return [.. starts];
    }

    /// <summary>Blending weights along one patch axis: 1 inside, ramping linearly to 1/(overlap + 1) over the overlap at each end.</summary>
    public static float[] BlendWeights(int patch, int overlap)
    {
        var ramp = Math.Max(0, overlap) + 1;
        var w = new float[patch];
        for (var t = 0; t < patch; t++) w[t] = (float)Math.Min(Math.Min(t + 1, patch - t), ramp) / ramp;
        return w;
    }

    /// <summary>The patch size actually fed on each axis [z, y, x]: the configured size, or the whole extent where it is 0.</summary>
    public static int[] EffectivePatch(int[] patchSize, int sizeZ, int sizeY, int sizeX)
    {
        ArgumentNullException.ThrowIfNull(patchSize);
        int[] sizes = [sizeZ, sizeY, sizeX];
        return [.. Enumerable.Range(0, 3).Select(a => patchSize[a] > 0 ? patchSize[a] : sizes[a])];
    }

    /// <summary>
    /// Runs <paramref name="predictor"/> over <paramref name="channels"/> (the windowed inputs, all on the model grid)
    /// and hands the normalised posteriors to <paramref name="consume"/> slab by slab, in z order.
    /// <paramref name="progress"/> gets the percentage of patches run.
    /// </summary>
    public static void Run(IPatchPredictor predictor, IReadOnlyList<ImageVolume> channels, int classCount, int[] patchSize, int[] patchOverlap,
        Action<PosteriorSlab> consume, long maxAccumulatorBytes = DefaultMaxAccumulatorBytes, IProgress<int>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(predictor);
        ArgumentNullException.ThrowIfNull(channels);
        ArgumentNullException.ThrowIfNull(consume);
        ArgumentNullException.ThrowIfNull(patchOverlap);
        if (channels.Count == 0) throw new ArgumentException("At least one channel is needed.", nameof(channels));
        if (classCount < 1) throw new ArgumentOutOfRangeException(nameof(classCount));
        var first = channels[0];
        int nx = first.SizeX, ny = first.SizeY, nz = first.SizeZ;
        if (channels.Any(c => c.SizeX != nx || c.SizeY != ny || c.SizeZ != nz))
            throw new ArgumentException("All channels must be on the same grid.", nameof(channels));

        var patch = EffectivePatch(patchSize, nz, ny, nx);
        int pz = patch[0], py = patch[1], px = patch[2];
        var zStarts = PatchStarts(nz, pz, patchOverlap[0]);
        var yStarts = PatchStarts(ny, py, patchOverlap[1]);
        var xStarts = PatchStarts(nx, px, patchOverlap[2]);
        var wz = BlendWeights(pz, patchOverlap[0]);
        var wy = BlendWeights(py, patchOverlap[1]);
        var wx = BlendWeights(px, patchOverlap[2]);

        var slabs = PlanSlabs(nz, (long)nx * ny * (classCount + 1) * sizeof(float), maxAccumulatorBytes);
        var patchesPerZ = yStarts.Length * xStarts.Length;
        var total = slabs.Sum(s => zStarts.Count(z => z < s.BufferEnd && z + pz > s.BufferStart)) * patchesPerZ;
        var done = 0;
        var lastPercent = -1;

        var channelCount = channels.Count;
        var patchVoxels = pz * py * px;
        var inputLength = channelCount * patchVoxels;
        long[] shape = [1, channelCount, pz, py, px];
        var rented = ArrayPool<float>.Shared.Rent(inputLength);
        try
        {
            var input = rented.AsMemory(0, inputLength);
            foreach (var slab in slabs)
            {
                var depth = slab.BufferEnd - slab.BufferStart;
                var slabVoxels = checked(nx * ny * depth);
                var acc = new float[classCount][];
                for (var c = 0; c < classCount; c++) acc[c] = new float[slabVoxels];
                var weights = new float[slabVoxels];

                foreach (var zs in zStarts)
                {
                    if (zs >= slab.BufferEnd || zs + pz <= slab.BufferStart) continue;
                    foreach (var ys in yStarts)
                    {
                        foreach (var xs in xStarts)
                        {
                            cancellationToken.ThrowIfCancellationRequested();
                            Extract(channels, input.Span, zs, ys, xs, pz, py, px);
                            using (var result = predictor.Predict(input, shape, cancellationToken))
                            {
                                CheckShape(result.Shape, classCount, pz, py, px);
                                Accumulate(result.Data, acc, weights, slab.BufferStart, slab.BufferEnd, nx, ny, nz, zs, ys, xs, pz, py,
                                    px, wz, wy, wx);
                            }
                            done++;
                            var percent = (int)(100L * done / Math.Max(1, total));
                            if (percent != lastPercent)
                            {
                                lastPercent = percent;
                                progress?.Report(percent);
                            }
                        }
                    }
                }

                cancellationToken.ThrowIfCancellationRequested();
                Parallel.For(0, depth, z =>
                {
                    var offset = z * nx * ny;
                    for (var i = offset; i < offset + nx * ny; i++)
                    {
                        var inverse = 1f / weights[i];
                        for (var c = 0; c < classCount; c++) acc[c][i] *= inverse;
                    }
                });
                consume(new PosteriorSlab(slab.BufferStart, depth, slab.CoreStart, slab.CoreEnd, acc));
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(rented);
        }
    }

    /// <summary>
    /// Runs <see cref="Run"/> and returns the posteriors of the whole model grid: one array per class, x fastest.
    /// For tests and small volumes.
    /// </summary>
    public static float[][] RunToArray(IPatchPredictor predictor, IReadOnlyList<ImageVolume> channels, int classCount, int[] patchSize,
        int[] patchOverlap, long maxAccumulatorBytes = DefaultMaxAccumulatorBytes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(channels);
        var sliceLength = channels[0].SliceLength;
        var all = new float[classCount][];
        for (var c = 0; c < classCount; c++) all[c] = new float[channels[0].VoxelCount];
        Run(predictor, channels, classCount, patchSize, patchOverlap, slab =>
        {
            var from = (slab.CoreStart - slab.BufferStart) * sliceLength;
            var length = (slab.CoreEnd - slab.CoreStart) * sliceLength;
            for (var c = 0; c < classCount; c++) slab.Classes[c].AsSpan(from, length).CopyTo(all[c].AsSpan(slab.CoreStart * sliceLength));
        }, maxAccumulatorBytes, null, cancellationToken);
        return all;
    }

    internal readonly record struct SlabPlan(int CoreStart, int CoreEnd, int BufferStart, int BufferEnd);

    internal static List<SlabPlan> PlanSlabs(int sizeZ, long bytesPerSlice, long maxBytes)
    {
        if ((long)sizeZ * bytesPerSlice <= maxBytes) return [new SlabPlan(0, sizeZ, 0, sizeZ)];
        // One slice more than the core is kept for interpolation across the slab's end.
        var core = (int)Math.Clamp(maxBytes / Math.Max(1, bytesPerSlice) - 1, 1, sizeZ);
        var plan = new List<SlabPlan>();
        for (var s = 0; s < sizeZ; s += core)
        {
            var end = Math.Min(sizeZ, s + core);
            plan.Add(new SlabPlan(s, end, s, Math.Min(sizeZ, end + 1)));
        }
        return plan;
    }

    private static void Extract(IReadOnlyList<ImageVolume> channels, Span<float> input, int zs, int ys, int xs, int pz, int py, int px)
    {
        var nx = channels[0].SizeX;
        var ny = channels[0].SizeY;
        var nz = channels[0].SizeZ;
        var patchVoxels = pz * py * px;
        for (var c = 0; c < channels.Count; c++)
        {
            var slices = channels[c].Slices;
            for (var z = 0; z < pz; z++)
            {
                var slice = slices[Math.Min(zs + z, nz - 1)];
                for (var y = 0; y < py; y++)
                {
                    var row = slice.AsSpan(Math.Min(ys + y, ny - 1) * nx);
                    var target = input.Slice(c * patchVoxels + (z * py + y) * px, px);
                    var inside = Math.Min(px, nx - xs);
                    row.Slice(xs, inside).CopyTo(target);
                    if (inside < px) target[inside..].Fill(row[nx - 1]);
                }
            }
        }
    }

    private static void CheckShape(long[] shape, int classCount, int pz, int py, int px)
    {
        if (shape.Length != 5 || shape[0] != 1 || shape[1] != classCount || shape[2] != pz || shape[3] != py || shape[4] != px)
        {
            throw new InferenceException("UnexpectedOutputShape",
                $"The network returned a tensor of shape [{string.Join(", ", shape)}]; expected [1, {classCount}, {pz}, {py}, {px}].");
        }
    }

    private static void Accumulate(ReadOnlySpan<float> output, float[][] acc, float[] weights, int bufferStart, int bufferEnd,
        int nx, int ny, int nz, int zs, int ys, int xs, int pz, int py, int px, float[] wz, float[] wy, float[] wx)
    {
        int z0 = Math.Max(zs, bufferStart), z1 = Math.Min(Math.Min(zs + pz, bufferEnd), nz);
        int yCount = Math.Min(py, ny - ys), xCount = Math.Min(px, nx - xs);
        var patchVoxels = pz * py * px;
        var classCount = acc.Length;
        unsafe
        {
            fixed (float* data = output)
            {
                var pointer = (nint)data;
                Parallel.For(z0, z1, gz =>
                {
                    var o = (float*)pointer;
                    var z = gz - zs;
                    var sliceOffset = (gz - bufferStart) * nx * ny;
                    for (var y = 0; y < yCount; y++)
                    {
                        var wzy = wz[z] * wy[y];
                        var target = sliceOffset + (ys + y) * nx + xs;
                        var source = (z * py + y) * px;
                        for (var x = 0; x < xCount; x++)
                        {
                            var w = wzy * wx[x];
                            weights[target + x] += w;
                            for (var c = 0; c < classCount; c++) acc[c][target + x] += w * o[c * patchVoxels + source + x];
                        }
                    }
                });
            }
        }
    }
}
