namespace InnerEye.Inference;

/// <summary>Axis permutation of a [a0, a1, a2] C-order array (numpy's <c>transpose</c>).</summary>
public static class ArrayAxes
{
    /// <summary>The array with axis i of the result = axis <paramref name="axes"/>[i] of <paramref name="data"/>.</summary>
    public static T[] Transpose<T>(T[] data, int[] shape, int[] axes)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (axes is [0, 1, 2]) return data;
        int[] outShape = [shape[axes[0]], shape[axes[1]], shape[axes[2]]];
        int[] strides = [shape[1] * shape[2], shape[2], 1];
        int s0 = strides[axes[0]], s1 = strides[axes[1]], s2 = strides[axes[2]];
        var result = new T[data.Length];
        Parallel.For(0, outShape[0], i =>
        {
            var n = i * outShape[1] * outShape[2];
            for (var j = 0; j < outShape[1]; j++)
            {
                for (var k = 0; k < outShape[2]; k++)
                    result[n++] = data[i * s0 + j * s1 + k * s2];
            }
        });
        return result;
    }

    public static T[] Permute<T>(T[] values, int[] axes) => [.. axes.Select(a => values[a])];

    /// <summary>The inverse permutation (nnU-Net's transpose_backward for a transpose_forward).</summary>
    public static int[] Inverse(int[] axes)
    {
        var inverse = new int[axes.Length];
        for (var i = 0; i < axes.Length; i++) inverse[axes[i]] = i;
        return inverse;
    }
}
