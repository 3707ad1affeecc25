namespace InnerEye.Inference;

/// <summary>A half-open box [start, end) per array axis [z, y, x].</summary>
public sealed record CropBox(int[] Start, int[] End)
{
    public int[] Shape => [End[0] - Start[0], End[1] - Start[1], End[2] - Start[2]];

    public static CropBox Whole(int[] shape) => new([0, 0, 0], [.. shape]);

    public bool IsWhole(int[] shape) => Start.All(s => s == 0) && End.SequenceEqual(shape);
}

/// <summary>
/// nnU-Net's <c>crop_to_nonzero</c>: the mask of voxels that are non-zero in any channel, holes filled (every background
/// region not 6-connected to the array's border becomes foreground), and the bounding box of that mask.
/// </summary>
public static class NonzeroCrop
{
    /// <summary>The hole-filled nonzero mask of <paramref name="channels"/> ([z, y, x] arrays of <paramref name="shape"/>).</summary>
    public static bool[] Mask(IReadOnlyList<float[]> channels, int[] shape)
    {
        ArgumentNullException.ThrowIfNull(channels);
        var count = shape[0] * shape[1] * shape[2];
        var mask = new bool[count];
        foreach (var c in channels)
        {
            for (var i = 0; i < count; i++)
                if (c[i] != 0) mask[i] = true;
        }

        FillHoles(mask, shape);
        return mask;
    }

    /// <summary>The bounding box of the mask; the whole array when the mask is empty (nnU-Net would fail; an all-zero image is kept whole).</summary>
    public static CropBox BoundingBox(bool[] mask, int[] shape)
    {
        ArgumentNullException.ThrowIfNull(mask);
        int[] start = [int.MaxValue, int.MaxValue, int.MaxValue], end = [0, 0, 0];
        var n = 0;
        for (var z = 0; z < shape[0]; z++)
        {
            for (var y = 0; y < shape[1]; y++)
            {
                for (var x = 0; x < shape[2]; x++)
                {
                    if (!mask[n++]) continue;
                    if (z < start[0]) start[0] = z;
                    if (y < start[1]) start[1] = y;
                    if (x < start[2]) start[2] = x;
                    if (z >= end[0]) end[0] = z + 1;
                    if (y >= end[1]) end[1] = y + 1;
                    if (x >= end[2]) end[2] = x + 1;
                }
            }
        }

        return start[0] == int.MaxValue ? CropBox.Whole(shape) : new CropBox(start, end);
    }

    /// <summary>The part of <paramref name="data"/> inside <paramref name="box"/>.</summary>
    public static T[] Crop<T>(T[] data, int[] shape, CropBox box)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(box);
        if (box.IsWhole(shape)) return data;
        var s = box.Shape;
        var result = new T[s[0] * s[1] * s[2]];
        for (var z = 0; z < s[0]; z++)
        {
            for (var y = 0; y < s[1]; y++)
            {
                data.AsSpan(((z + box.Start[0]) * shape[1] + y + box.Start[1]) * shape[2] + box.Start[2], s[2])
                    .CopyTo(result.AsSpan((z * s[1] + y) * s[2], s[2]));
            }
        }

        return result;
    }

    /// <summary>scipy's <c>binary_fill_holes</c> with the default (6-connected) structure: floods the background from the border.</summary>
    private static void FillHoles(bool[] mask, int[] shape)
    {
        int nz = shape[0], ny = shape[1], nx = shape[2];
        var outside = new bool[mask.Length];
        var stack = new Stack<int>();
        void Seed(int i)
        {
            if (mask[i] || outside[i]) return;
            outside[i] = true;
            stack.Push(i);
        }
        for (var z = 0; z < nz; z++)
        {
            for (var y = 0; y < ny; y++)
            {
                for (var x = 0; x < nx; x++)
                {
                    if (z == 0 || z == nz - 1 || y == 0 || y == ny - 1 || x == 0 || x == nx - 1)
                        Seed((z * ny + y) * nx + x);
                }
            }
        }

        var plane = ny * nx;
        while (stack.Count > 0)
        {
            var i = stack.Pop();
            var x = i % nx;
            var y = i / nx % ny;
            var z = i / plane;
            if (x > 0) Seed(i - 1);
            if (x < nx - 1) Seed(i + 1);
            if (y > 0) Seed(i - nx);
            if (y < ny - 1) Seed(i + nx);
            if (z > 0) Seed(i - plane);
            if (z < nz - 1) Seed(i + plane);
        }
        for (var i = 0; i < mask.Length; i++) mask[i] = !outside[i];
    }
}
