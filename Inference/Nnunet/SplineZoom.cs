using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace InnerEye.Inference;

/// <summary>
/// <c>scipy.ndimage.zoom(x, out/in, order, mode='nearest', grid_mode=True, prefilter=True)</c> of scipy 1.10 in float64,
/// which is what <c>skimage.transform.resize(x, shape, order, mode='edge', anti_aliasing=False)</c> (scikit-image ≥ 0.19)
/// computes before it clips. Orders 0, 1 and 3. Arrays are C order, the last axis fastest.
/// </summary>
/// <remarks>
/// For order 3 the input is edge-padded by <see cref="ZoomPlan.CubicPadding"/> samples on every axis and prefiltered
/// along axis 0, then 1, then 2, as scipy does. Each output is then the tensor-product sum over the taps of every axis,
/// added up in scipy's order (last axis fastest) with each term formed as ((c·w_z)·w_y)·w_x, so that the result is the
/// same to the last bit rather than only to rounding (which a sequence of 1-D passes would give).
/// </remarks>
public static class SplineZoom
{
    /// <summary>Zooms one line of <paramref name="inLength"/> samples read every <paramref name="inStride"/> values.</summary>
    public static void ZoomAxis(ReadOnlySpan<double> input, int inStride, int inLength, Span<double> output, int outStride, int outLength,
        int order) =>
        ZoomAxis(input, inStride, output, outStride, ZoomPlan.Create(inLength, outLength, order));

    /// <summary>Zooms one line with a plan made for its length.</summary>
    public static void ZoomAxis(ReadOnlySpan<double> input, int inStride, Span<double> output, int outStride, ZoomPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentOutOfRangeException.ThrowIfLessThan(inStride, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(outStride, 1);
        CheckLength(input.Length, (plan.InLength - 1) * inStride + 1, nameof(input));
        CheckLength(output.Length, (plan.OutLength - 1) * outStride + 1, nameof(output));

        var line = ArrayPool<double>.Shared.Rent(plan.CoefficientLength);
        try
        {
            var c = line.AsSpan(0, plan.CoefficientLength);
            for (var i = 0; i < c.Length; i++) c[i] = input[Math.Clamp(i - plan.Padding, 0, plan.InLength - 1) * inStride];
            if (plan.Order == 3) CubicSplinePrefilter.Apply(c);

            var taps = plan.Taps;
            var index = plan.Index;
            var weights = plan.Weights;
            for (var o = 0; o < plan.OutLength; o++)
            {
                var t = 0.0;
                for (var k = o * taps; k < (o + 1) * taps; k++) t += c[index[k]] * weights[k];
                output[o * outStride] = t;
            }
        }
        finally
        {
            ArrayPool<double>.Shared.Return(line);
        }
    }

    /// <summary>Zooms a 2-D array [ny, nx] to [outY, outX].</summary>
    public static void Zoom2D(ReadOnlySpan<double> slice, int ny, int nx, Span<double> output, int outY, int outX, int order) =>
        Zoom2D(slice, output, ZoomPlan.Create(ny, outY, order), ZoomPlan.Create(nx, outX, order));

    /// <summary>Zooms a 2-D array with one plan per axis (of the same order); scratch comes from the shared array pool.</summary>
    public static void Zoom2D(ReadOnlySpan<double> slice, Span<double> output, ZoomPlan planY, ZoomPlan planX)
    {
        ArgumentNullException.ThrowIfNull(planY);
        ArgumentNullException.ThrowIfNull(planX);
        CheckOrders(planY, planX);
        int ny = planY.InLength, nx = planX.InLength, outY = planY.OutLength, outX = planX.OutLength;
        CheckLength(slice.Length, ny * nx, nameof(slice));
        CheckLength(output.Length, outY * outX, nameof(output));

        int h = planY.CoefficientLength, w = planX.CoefficientLength, taps = planY.Taps;
        double[]? padded = null;
        var rows = ArrayPool<double>.Shared.Rent(taps * w);
        try
        {
            var coefficients = slice;
            if (planY.Order == 3)
            {
                padded = ArrayPool<double>.Shared.Rent(2 * h * w + Math.Max(h, w));
                var c = padded.AsSpan(0, h * w);
                EdgePad(slice, 1, ny, nx, c, 0, ZoomPlan.CubicPadding);
                CubicSplinePrefilter.Apply2D(c, h, w, padded.AsSpan(h * w));
                coefficients = c;
            }
            var yIndex = planY.Index;
            var yWeights = planY.Weights;
            for (var oy = 0; oy < outY; oy++)
            {
                var products = rows.AsSpan(0, taps * w);
                for (var a = 0; a < taps; a++)
                {
                    Scale(coefficients.Slice(yIndex[oy * taps + a] * w, w), yWeights[oy * taps + a], 1.0, products.Slice(a * w, w));
                }
                SumRow(products, w, taps, planX, output.Slice(oy * outX, outX));
            }
        }
        finally
        {
            ArrayPool<double>.Shared.Return(rows);
            if (padded is not null) ArrayPool<double>.Shared.Return(padded);
        }
    }

    /// <summary>Zooms a 3-D array [nz, ny, nx] to [outZ, outY, outX], output slices in parallel.</summary>
    public static void Zoom3D(ReadOnlyMemory<double> volume, int nz, int ny, int nx, Memory<double> output, int outZ, int outY, int outX, int order,
        CancellationToken cancellationToken = default)
    {
        ZoomPlan planZ = ZoomPlan.Create(nz, outZ, order), planY = ZoomPlan.Create(ny, outY, order), planX = ZoomPlan.Create(nx, outX, order);
        CheckLength(volume.Length, nz * ny * nx, nameof(volume));
        CheckLength(output.Length, outZ * outY * outX, nameof(output));

        int d = planZ.CoefficientLength, h = planY.CoefficientLength, w = planX.CoefficientLength, taps = planZ.Taps;
        double[]? padded = null;
        try
        {
            var coefficients = volume;
            if (order == 3)
            {
                padded = ArrayPool<double>.Shared.Rent(d * h * w);
                EdgePad(volume.Span, nz, ny, nx, padded.AsSpan(0, d * h * w), ZoomPlan.CubicPadding, ZoomPlan.CubicPadding);
                CubicSplinePrefilter.Apply3D(padded, d, h, w, cancellationToken);
                coefficients = padded.AsMemory(0, d * h * w);
            }
            Parallel.For(0, outZ, new ParallelOptions { CancellationToken = cancellationToken },
                () => ArrayPool<double>.Shared.Rent(taps * taps * w),
                (oz, _, rows) =>
                {
                    ZoomSlice(coefficients.Span, h, w, planZ, planY, planX, oz, rows.AsSpan(0, taps * taps * w),
                        output.Span.Slice(oz * outY * outX, outY * outX));
                    return rows;
                },
                rows => ArrayPool<double>.Shared.Return(rows));
        }
        finally
        {
            if (padded is not null) ArrayPool<double>.Shared.Return(padded);
        }
    }

    /// <summary>Output slice <paramref name="oz"/> of a 3-D zoom, from the coefficient volume [·, h, w].</summary>
    private static void ZoomSlice(ReadOnlySpan<double> coefficients, int h, int w, ZoomPlan planZ, ZoomPlan planY, ZoomPlan planX, int oz,
        Span<double> products, Span<double> output)
    {
        var taps = planZ.Taps;
        var outX = planX.OutLength;
        var zIndex = planZ.Index.Slice(oz * taps, taps);
        var zWeights = planZ.Weights.Slice(oz * taps, taps);
        for (var oy = 0; oy < planY.OutLength; oy++)
        {
            var yIndex = planY.Index.Slice(oy * taps, taps);
            var yWeights = planY.Weights.Slice(oy * taps, taps);
            for (var a = 0; a < taps; a++)
            {
                for (var b = 0; b < taps; b++)
                {
                    Scale(coefficients.Slice((zIndex[a] * h + yIndex[b]) * w, w), zWeights[a], yWeights[b], products.Slice((a * taps + b) * w, w));
                }
            }

            SumRow(products, w, taps * taps, planX, output.Slice(oy * outX, outX));
        }
    }

    /// <summary>target[j] = (source[j]·a)·b, the partial products of scipy's terms (b = 1 leaves them exact).</summary>
    private static void Scale(ReadOnlySpan<double> source, double a, double b, Span<double> target)
    {
        var j = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var va = new Vector<double>(a);
            var vb = new Vector<double>(b);
            for (; j <= source.Length - Vector<double>.Count; j += Vector<double>.Count)
                (new Vector<double>(source[j..]) * va * vb).CopyTo(target[j..]);
        }
        for (; j < source.Length; j++) target[j] = source[j] * a * b;
    }

    /// <summary>
    /// One output row: for each output x, the sum over <paramref name="rowCount"/> rows of partial products (each row
    /// already multiplied by its weights along the other axes) times the x weights, rows outer, taps inner, one term
    /// after the other as scipy adds them. Four outputs are summed side by side, each in its own order.
    /// </summary>
    private static void SumRow(ReadOnlySpan<double> products, int w, int rowCount, ZoomPlan planX, Span<double> output)
    {
        if (planX.CoefficientLength != w || products.Length < rowCount * w || output.Length != planX.OutLength)
            throw new ArgumentException("The products do not match the plan.");
        // In bounds: the plan's indices are below its coefficient length, w.
        ref var p = ref MemoryMarshal.GetReference(products);
        ref var index = ref MemoryMarshal.GetReference(planX.Index);
        ref var weight = ref MemoryMarshal.GetReference(planX.Weights);
        var taps = planX.Taps;
        var ox = 0;
        for (; ox + 3 < output.Length; ox += 4)
        {
            double t0 = 0, t1 = 0, t2 = 0, t3 = 0;
            int k0 = ox * taps, k1 = k0 + taps, k2 = k1 + taps, k3 = k2 + taps;
            for (var r = 0; r < rowCount; r++)
            {
                ref var row = ref Unsafe.Add(ref p, r * w);
                for (var m = 0; m < taps; m++)
                {
                    t0 += Unsafe.Add(ref row, Unsafe.Add(ref index, k0 + m)) * Unsafe.Add(ref weight, k0 + m);
                    t1 += Unsafe.Add(ref row, Unsafe.Add(ref index, k1 + m)) * Unsafe.Add(ref weight, k1 + m);
                    t2 += Unsafe.Add(ref row, Unsafe.Add(ref index, k2 + m)) * Unsafe.Add(ref weight, k2 + m);
                    t3 += Unsafe.Add(ref row, Unsafe.Add(ref index, k3 + m)) * Unsafe.Add(ref weight, k3 + m);
                }
            }
            output[ox] = t0;
            output[ox + 1] = t1;
            output[ox + 2] = t2;
            output[ox + 3] = t3;
        }
        for (; ox < output.Length; ox++)
        {
            var t = 0.0;
            var k = ox * taps;
            for (var r = 0; r < rowCount; r++)
            {
                ref var row = ref Unsafe.Add(ref p, r * w);
                for (var m = 0; m < taps; m++) t += Unsafe.Add(ref row, Unsafe.Add(ref index, k + m)) * Unsafe.Add(ref weight, k + m);
            }
            output[ox] = t;
        }
    }

    /// <summary>
    /// <c>np.pad(x, mode='edge')</c> of a [nz, ny, nx] array, by <paramref name="padZ"/> in z and <paramref name="pad"/> in y
    /// and x.
    /// </summary>
    private static void EdgePad(ReadOnlySpan<double> source, int nz, int ny, int nx, Span<double> padded, int padZ, int pad)
    {
        int d = nz + 2 * padZ, h = ny + 2 * pad, w = nx + 2 * pad;
        for (var k = 0; k < d; k++)
        {
            for (var i = 0; i < h; i++)
            {
                var row = source.Slice((Math.Clamp(k - padZ, 0, nz - 1) * ny + Math.Clamp(i - pad, 0, ny - 1)) * nx, nx);
                var target = padded.Slice((k * h + i) * w, w);
                target[..pad].Fill(row[0]);
                row.CopyTo(target.Slice(pad, nx));
                target[(pad + nx)..].Fill(row[nx - 1]);
            }
        }
    }

    private static void CheckOrders(ZoomPlan first, ZoomPlan second)
    {
        if (first.Order != second.Order) throw new ArgumentException("The plans of all axes must have the same spline order.");
    }

    private static void CheckLength(int actual, int required, string name)
    {
        if (actual < required) throw new ArgumentException($"{name} holds {actual} values, at least {required} are needed.", name);
    }
}
