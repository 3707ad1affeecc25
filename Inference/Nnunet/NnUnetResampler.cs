using System.Numerics;
using System.Runtime.CompilerServices;

namespace InnerEye.Inference;

/// <summary>
/// nnU-Net's <c>resample_data_or_seg</c> for <c>is_seg=False</c>, one channel: the arithmetic of
/// <see cref="NnUnetResampling"/>. Values are read into float64, resampled, and rounded once to the element type.
/// </summary>
internal static class NnUnetResampler
{
    public static T[] Resample<T>(T[] data, int[] shape, int[] newShape, (bool SeparateZ, int Axis) separateZ, int order, int orderZ,
        CancellationToken cancellationToken)
        where T : unmanaged, INumberBase<T>
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(newShape);
        if (shape.Length != 3 || newShape.Length != 3) throw new ArgumentException("Shapes must be [z, y, x].");
        if (shape.Any(n => n < 1) || newShape.Any(n => n < 1)) throw new ArgumentException("Every axis must have at least one sample.");
        if ((long)shape[0] * shape[1] * shape[2] != data.Length)
            throw new ArgumentException($"{data.Length} values do not make an array of shape [{string.Join(", ", shape)}].", nameof(data));
        if (order is not (0 or 1 or 3)) throw new ArgumentOutOfRangeException(nameof(order), order, "Spline order must be 0, 1 or 3.");
        if (separateZ.SeparateZ && separateZ.Axis is < 0 or > 2)
            throw new ArgumentOutOfRangeException(nameof(separateZ), separateZ.Axis, "The separate axis must be 0, 1 or 2.");

        if (shape.AsSpan().SequenceEqual(newShape)) return data;
        var output = new T[checked(newShape[0] * newShape[1] * newShape[2])];
        if (separateZ.SeparateZ)
            SeparateAxis(data, shape, newShape, separateZ.Axis, order, orderZ, output, cancellationToken);
        else
            WholeVolume(data, shape, newShape, order, output, cancellationToken);
        return output;
    }

    /// <summary>One 3-D zoom, clipped to the range of the whole input.</summary>
    private static void WholeVolume<T>(T[] data, int[] shape, int[] newShape, int order, T[] output, CancellationToken cancellationToken)
        where T : unmanaged, INumberBase<T>
    {
        var volume = new double[data.Length];
        var (min, max) = ReadSlice(data, 0, 0, 1, 1, data.Length, volume);
        var result = new double[output.Length];
        SplineZoom.Zoom3D(volume, shape[0], shape[1], shape[2], result, newShape[0], newShape[1], newShape[2], order, cancellationToken);
        for (var i = 0; i < result.Length; i++) output[i] = T.CreateTruncating(Clip(result[i], min, max));
    }

    /// <summary>
    /// Every slice across <paramref name="axis"/> zoomed in-plane and clipped to that slice's range; then, if the axis
    /// changes length, <c>map_coordinates(order=orderZ, mode='nearest')</c> along it, which with the in-plane coordinates
    /// on the grid is a 1-D zoom of that order. Only the slices the second step reads are computed.
    /// </summary>
    private static void SeparateAxis<T>(T[] data, int[] shape, int[] newShape, int axis, int order, int orderZ, T[] output,
        CancellationToken cancellationToken)
        where T : unmanaged, INumberBase<T>
    {
        int p = axis == 0 ? 1 : 0, q = axis == 2 ? 1 : 2;
        int[] inStrides = Strides(shape), outStrides = Strides(newShape);
        ZoomPlan planP = ZoomPlan.Create(shape[p], newShape[p], order), planQ = ZoomPlan.Create(shape[q], newShape[q], order);
        int inP = shape[p], inQ = shape[q], outP = newShape[p], outQ = newShape[q], planeIn = inP * inQ, planeOut = outP * outQ;

        ZoomPlan? planZ = null;
        if (shape[axis] != newShape[axis])
        {
            if (orderZ is not (0 or 1))
                throw new ArgumentOutOfRangeException(nameof(orderZ), orderZ, "Only orders 0 and 1 are supported along the separate axis.");
            planZ = ZoomPlan.Create(shape[axis], newShape[axis], orderZ);
        }
        int[] needed = planZ is null ? [.. Enumerable.Range(0, shape[axis])] : [.. planZ.Index.ToArray().Distinct().Order()];
        var planes = planZ is null ? null : new double[checked(needed.Length * planeOut)];
        var options = new ParallelOptions { CancellationToken = cancellationToken };

        Parallel.For(0, needed.Length, options,
            () => (In: new double[planeIn], Out: planes is null ? new double[planeOut] : null),
            (k, _, scratch) =>
            {
                var source = needed[k];
                var slice = scratch.In;
                var (min, max) = ReadSlice(data, source * inStrides[axis], inStrides[p], inStrides[q], inP, inQ, slice);
                var plane = planes is null ? scratch.Out! : planes.AsSpan(k * planeOut, planeOut);
                SplineZoom.Zoom2D(slice, plane, planP, planQ);
                for (var i = 0; i < plane.Length; i++) plane[i] = Clip(plane[i], min, max);
                if (planes is null)
                {
                    for (var i = 0; i < outP; i++)
                    {
                        for (var j = 0; j < outQ; j++)
                            output[source * outStrides[axis] + i * outStrides[p] + j * outStrides[q]] = T.CreateTruncating(plane[i * outQ + j]);
                    }
                }
                return scratch;
            },
            _ => { });
        if (planZ is null || planes is null) return;

        var slot = new int[shape[axis]];
        for (var k = 0; k < needed.Length; k++) slot[needed[k]] = k;
        Parallel.For(0, newShape[axis], options, o =>
        {
            var taps = planZ.Taps;
            var index = planZ.Index.Slice(o * taps, taps);
            var weights = planZ.Weights.Slice(o * taps, taps);
            for (var i = 0; i < outP; i++)
            {
                for (var j = 0; j < outQ; j++)
                {
                    var t = 0.0;
                    for (var k = 0; k < taps; k++) t += planes[slot[index[k]] * planeOut + i * outQ + j] * weights[k];
                    output[o * outStrides[axis] + i * outStrides[p] + j * outStrides[q]] = T.CreateTruncating(t);
                }
            }
        });
    }

    /// <summary>Every float16 as float64, by bit pattern: a table is several times faster than converting.</summary>
    private static readonly Lazy<double[]> HalfValues = new(() =>
    {
        var values = new double[1 << 16];
        for (var bits = 0; bits < values.Length; bits++) values[bits] = (double)BitConverter.UInt16BitsToHalf((ushort)bits);
        return values;
    });

    /// <summary>
    /// Reads rows × columns values from <paramref name="offset"/> with the given strides into <paramref name="slice"/> as
    /// float64 and returns their range, NaN left out (as scikit-image's clip takes it: nanmin/nanmax when there is a NaN).
    /// </summary>
    private static (double Min, double Max) ReadSlice<T>(T[] data, int offset, int rowStride, int columnStride, int rows, int columns,
        Span<double> slice)
        where T : unmanaged, INumberBase<T>
    {
        var halves = typeof(T) == typeof(Half) ? HalfValues.Value : null;
        var (min, max) = (double.PositiveInfinity, double.NegativeInfinity);
        for (var i = 0; i < rows; i++)
        {
            var row = slice.Slice(i * columns, columns);
            for (var j = 0; j < columns; j++)
            {
                var value = data[offset + i * rowStride + j * columnStride];
                var v = halves is null ? double.CreateTruncating(value) : halves[Unsafe.As<T, ushort>(ref value)];
                row[j] = v;
                if (v < min) min = v;
                if (v > max) max = v;
            }
        }
        return (min, max);
    }

    private static int[] Strides(int[] shape) => [shape[1] * shape[2], shape[2], 1];

    /// <summary><c>np.clip</c>: NaN stays NaN.</summary>
    private static double Clip(double v, double min, double max) => v < min ? min : v > max ? max : v;
}
