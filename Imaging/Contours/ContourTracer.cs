using System.Buffers;
using System.Numerics;
using System.Runtime.InteropServices;

namespace InnerEye.Imaging.Contours;

/// <summary>
/// Traces the boundaries of labelled regions in a 2D slice into closed polygons on pixel corners.
/// </summary>
/// <remarks>
/// <para>
/// Input slices are row-major (x fastest), <c>width × height</c> bytes. A pixel belongs to the structure when its
/// value equals the label. Output vertices are pixel corners; see <see cref="Contour2D"/> for the coordinate
/// convention and orientation (outer boundaries have positive signed area, holes negative).
/// </para>
/// <para>
/// Connectivity: the foreground is 8-connected and the background 4-connected. Two labelled pixels that touch only
/// at a corner belong to the same region, so the outline of that region passes through the shared corner
/// (the corner appears twice in the polygon), and the two background pixels at that corner are separate.
/// Every 8-connected region yields exactly one outer boundary, and every 4-connected background component it
/// encloses (one that does not reach the image border) yields exactly one hole boundary.
/// </para>
/// <para>
/// Without hole filling, rasterizing all polygons of a slice with the even-odd rule
/// (<see cref="PolygonRasterizer"/>) reproduces the mask exactly. With hole filling only outer boundaries are
/// returned, and they rasterize to the mask with every enclosed background component filled (including any
/// islands inside holes, which are absorbed).
/// </para>
/// <para>
/// The algorithm follows directed boundary edges between labelled and unlabelled pixels (labelled pixel on the
/// right as seen on screen) and links them into loops. At a saddle corner (two labelled pixels diagonally
/// opposite, two unlabelled ones on the other diagonal) the walk always turns left, which joins the two diagonal
/// pixels into one outline — the 8-connected-foreground rule. Cost is O(pixels) for the scan plus O(perimeter)
/// for the walks.
/// </para>
/// </remarks>
public static class ContourTracer
{
    // Directions: 0 = east (+x), 1 = south (+y), 2 = west (-x), 3 = north (-y). Turning left on screen is (d + 3) % 4.
    private const int East = 0;
    private const int Saddle = -1;
    private const int NoEdge = -2;

    private static readonly int[] DirX = [1, 0, -1, 0];
    private static readonly int[] DirY = [0, 1, 0, -1];

    // Outgoing direction at a corner, indexed by which of the four pixels around it are labelled:
    // bit 0 = top-left, bit 1 = top-right, bit 2 = bottom-right, bit 3 = bottom-left.
    private static readonly sbyte[] OutDirection = BuildOutDirectionTable();

    /// <summary>
    /// Traces the boundaries of the pixels equal to <paramref name="label"/>.
    /// </summary>
    /// <param name="slice">Row-major slice, <paramref name="width"/> × <paramref name="height"/> values.</param>
    /// <param name="width">Number of columns.</param>
    /// <param name="height">Number of rows.</param>
    /// <param name="label">Value of the structure's pixels. Label 0 is allowed (it then traces the zero pixels).</param>
    /// <param name="fillHoles">
    /// When true, return only outer boundaries of the hole-filled mask; when false, return outer and hole boundaries.
    /// </param>
    /// <returns>
    /// Polygons in scan order of their top-most, left-most horizontal edge. An empty list if no pixel has the label.
    /// </returns>
    public static IReadOnlyList<Contour2D> Trace(ReadOnlySpan<byte> slice, int width, int height, byte label, bool fillHoles)
    {
        ValidateSlice(slice, width, height);

        if (!TryFindBoundingBox(slice, width, height, label, out var x0, out var y0, out var x1, out var y1))
        {
            return [];
        }

        var results = new List<Contour2D>();
        TraceLabelInBox(slice, width, label, x0, y0, x1, y1, fillHoles, results);
        return results;
    }

    /// <summary>
    /// Traces every label 1..<paramref name="labelCount"/> of a slice. Values above <paramref name="labelCount"/>
    /// and zero are treated as background.
    /// </summary>
    /// <returns>
    /// An array of length <paramref name="labelCount"/> + 1; element k holds the polygons of label k
    /// (element 0 is always empty). Each list is identical to what <see cref="Trace"/> returns for that label.
    /// </returns>
    /// <remarks>
    /// Without hole filling one scan of the slice finds the loops of all labels at once. With hole filling one scan
    /// finds every label's bounding box, and each label is then filled and traced inside its own box.
    /// </remarks>
    public static IReadOnlyList<Contour2D>[] TraceAll(ReadOnlySpan<byte> slice, int width, int height, int labelCount, bool fillHoles)
    {
        ValidateSlice(slice, width, height);
        ArgumentOutOfRangeException.ThrowIfNegative(labelCount);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(labelCount, byte.MaxValue);

        var lists = new List<Contour2D>[labelCount + 1];
        for (var k = 0; k <= labelCount; k++)
        {
            lists[k] = [];
        }

        if (labelCount == 0)
        {
            return lists;
        }

        if (fillHoles)
        {
            // Hole filling is per label: fill inside each label's bounding box and trace that.
            Span<int> box = stackalloc int[4 * (labelCount + 1)];
            Span<bool> present = stackalloc bool[labelCount + 1];
            FindBoundingBoxes(slice, width, height, labelCount, box, present);
            for (var k = 1; k <= labelCount; k++)
            {
                if (present[k])
                {
                    TraceLabelInBox(slice, width, (byte)k, box[4 * k], box[4 * k + 1], box[4 * k + 2], box[4 * k + 3],
                        fillHoles: true, lists[k]);
                }
            }

            return lists;
        }

        // One pass over a padded copy of the whole slice: every boundary edge belongs to the label of the pixel on
        // its right, so a single scan finds the start of every loop of every label.
        var stride = width + 2;
        var paddedLength = stride * (height + 2);
        var grid = ArrayPool<byte>.Shared.Rent(paddedLength);
        var visited = ArrayPool<byte>.Shared.Rent(paddedLength);
        var buffer = ArrayPool<int>.Shared.Rent(256);
        try
        {
            Array.Clear(grid, 0, paddedLength);
            Array.Clear(visited, 0, paddedLength);
            for (var y = 0; y < height; y++)
            {
                ReadOnlySpan<byte> row = slice.Slice(y * width, width);
                Span<byte> dst = grid.AsSpan((y + 1) * stride + 1, width);
                CopyLabelsUpTo(row, dst, (byte)labelCount);
            }

            ScanAndTrace(grid, visited, stride, width, height, 0, 0, lists, null, 0, ref buffer);
        }
        finally
        {
            ArrayPool<int>.Shared.Return(buffer);
            ArrayPool<byte>.Shared.Return(visited);
            ArrayPool<byte>.Shared.Return(grid);
        }

        return lists;
    }

    private static void ValidateSlice(ReadOnlySpan<byte> slice, int width, int height)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        if ((long)width * height != slice.Length)
        {
            throw new ArgumentException(
                $"Slice has {slice.Length} values but {width} × {height} = {(long)width * height} were expected.",
                nameof(slice));
        }

        if ((long)(width + 2) * (height + 2) > Array.MaxLength)
        {
            throw new ArgumentException("Slice is too large to trace.", nameof(slice));
        }
    }

    private static bool TryFindBoundingBox(ReadOnlySpan<byte> slice, int width, int height, byte label,
        out int x0, out int y0, out int x1, out int y1)
    {
        x0 = int.MaxValue;
        y0 = int.MaxValue;
        x1 = -1;
        y1 = -1;
        for (var y = 0; y < height; y++)
        {
            ReadOnlySpan<byte> row = slice.Slice(y * width, width);
            var first = row.IndexOf(label);
            if (first < 0)
            {
                continue;
            }

            var last = row.LastIndexOf(label);
            if (y0 == int.MaxValue)
            {
                y0 = y;
            }

            y1 = y;
            x0 = Math.Min(x0, first);
            x1 = Math.Max(x1, last);
        }

        return y1 >= 0;
    }

    private static void FindBoundingBoxes(ReadOnlySpan<byte> slice, int width, int height, int labelCount,
        Span<int> box, Span<bool> present)
    {
        // Walk each row run by run (label regions are mostly long runs), so the per-pixel work is vectorized search.
        for (var y = 0; y < height; y++)
        {
            ReadOnlySpan<byte> row = slice.Slice(y * width, width);
            var x = 0;
            while (x < width)
            {
                var next = row[x..].IndexOfAnyExcept((byte)0);
                if (next < 0)
                {
                    break;
                }

                x += next;
                var v = row[x];
                var runLength = row[x..].IndexOfAnyExcept(v);
                var last = runLength < 0 ? width - 1 : x + runLength - 1;
                if (v <= labelCount)
                {
                    var b = 4 * v;
                    if (!present[v])
                    {
                        present[v] = true;
                        box[b] = x;
                        box[b + 1] = y;
                        box[b + 2] = last;
                        box[b + 3] = y;
                    }
                    else
                    {
                        if (x < box[b]) box[b] = x;
                        if (last > box[b + 2]) box[b + 2] = last;
                        box[b + 3] = y;
                    }
                }

                x = last + 1;
            }
        }
    }

    /// <summary>
    /// Copies the label's pixels inside the box [x0, x1] × [y0, y1] into a binary grid with a one-pixel empty margin,
    /// optionally fills holes, and traces all loops.
    /// </summary>
    private static void TraceLabelInBox(ReadOnlySpan<byte> slice, int width, byte label,
        int x0, int y0, int x1, int y1, bool fillHoles, List<Contour2D> results)
    {
        var bw = x1 - x0 + 1;
        var bh = y1 - y0 + 1;
        var stride = bw + 2;
        var paddedLength = stride * (bh + 2);
        var grid = ArrayPool<byte>.Shared.Rent(paddedLength);
        var visited = ArrayPool<byte>.Shared.Rent(paddedLength);
        var buffer = ArrayPool<int>.Shared.Rent(256);
        try
        {
            Array.Clear(grid, 0, paddedLength);
            Array.Clear(visited, 0, paddedLength);
            for (var y = 0; y < bh; y++)
            {
                ReadOnlySpan<byte> row = slice.Slice((y0 + y) * width + x0, bw);
                Span<byte> dst = grid.AsSpan((y + 1) * stride + 1, bw);
                CopyMatches(row, dst, label);
            }

            if (fillHoles)
            {
                FillHoles(grid, stride, bh + 2);
            }

            ScanAndTrace(grid, visited, stride, bw, bh, x0, y0, null, results, label, ref buffer);
        }
        finally
        {
            ArrayPool<int>.Shared.Return(buffer);
            ArrayPool<byte>.Shared.Return(visited);
            ArrayPool<byte>.Shared.Return(grid);
        }
    }

    /// <summary>Writes 1 where the source equals <paramref name="label"/> and 0 elsewhere.</summary>
    private static void CopyMatches(ReadOnlySpan<byte> source, Span<byte> destination, byte label)
    {
        var x = 0;
        if (Vector.IsHardwareAccelerated && source.Length >= Vector<byte>.Count)
        {
            var target = new Vector<byte>(label);
            var srcVectors = MemoryMarshal.Cast<byte, Vector<byte>>(source);
            var dstVectors = MemoryMarshal.Cast<byte, Vector<byte>>(destination);
            for (var i = 0; i < srcVectors.Length; i++)
            {
                dstVectors[i] = Vector.Equals(srcVectors[i], target) & Vector<byte>.One;
            }

            x = srcVectors.Length * Vector<byte>.Count;
        }

        for (; x < source.Length; x++)
        {
            destination[x] = source[x] == label ? (byte)1 : (byte)0;
        }
    }

    /// <summary>Copies values up to <paramref name="maxLabel"/> and writes 0 for larger ones.</summary>
    private static void CopyLabelsUpTo(ReadOnlySpan<byte> source, Span<byte> destination, byte maxLabel)
    {
        if (maxLabel == byte.MaxValue)
        {
            source.CopyTo(destination);
            return;
        }

        var x = 0;
        if (Vector.IsHardwareAccelerated && source.Length >= Vector<byte>.Count)
        {
            var limit = new Vector<byte>(maxLabel);
            var srcVectors = MemoryMarshal.Cast<byte, Vector<byte>>(source);
            var dstVectors = MemoryMarshal.Cast<byte, Vector<byte>>(destination);
            for (var i = 0; i < srcVectors.Length; i++)
            {
                var v = srcVectors[i];
                dstVectors[i] = Vector.AndNot(v, Vector.GreaterThan(v, limit));
            }

            x = srcVectors.Length * Vector<byte>.Count;
        }

        for (; x < source.Length; x++)
        {
            var v = source[x];
            destination[x] = v <= maxLabel ? v : (byte)0;
        }
    }

    /// <summary>
    /// Finds every loop start (the top edge of a labelled pixel whose upper neighbour has another value, not yet walked)
    /// in scan order and walks its loop. Runs of pixels equal to the pixel above are skipped with a vectorized compare.
    /// </summary>
    /// <param name="perLabel">When set, the grid holds label values (0 = background) and contours of value v go to perLabel[v].</param>
    /// <param name="single">When set, the grid holds 0/1 and contours, labelled <paramref name="singleLabel"/>, go here.</param>
    private static void ScanAndTrace(byte[] grid, byte[] visited, int stride, int width, int height, int offsetX, int offsetY,
        List<Contour2D>[]? perLabel, List<Contour2D>? single, byte singleLabel, ref int[] buffer)
    {
        for (var y = 1; y <= height; y++)
        {
            var rowStart = y * stride + 1;
            ReadOnlySpan<byte> row = grid.AsSpan(rowStart, width);
            ReadOnlySpan<byte> above = grid.AsSpan(rowStart - stride, width);
            var x = 0;
            while (true)
            {
                x += row[x..].CommonPrefixLength(above[x..]);
                if (x >= width)
                {
                    break;
                }

                var p = rowStart + x;
                var v = grid[p];
                if (v != 0 && visited[p] == 0)
                {
                    var traced = perLabel is null ? (byte)1 : v;
                    var corners = TraceLoop(grid, visited, stride, traced, x, y - 1, offsetX, offsetY, ref buffer);
                    if (perLabel is null)
                    {
                        single!.Add(new Contour2D(singleLabel, corners));
                    }
                    else
                    {
                        perLabel[v].Add(new Contour2D(v, corners));
                    }
                }

                x++;
            }
        }
    }

    /// <summary>
    /// Fills every background component (4-connected) that does not reach the padded grid's border.
    /// The grid holds 0/1 and has a one-pixel zero margin, so the whole outside is one component containing index 0.
    /// </summary>
    private static void FillHoles(byte[] grid, int stride, int rows)
    {
        const byte Outside = 2;
        var length = stride * rows;
        var stack = ArrayPool<int>.Shared.Rent(Math.Max(16, length));
        try
        {
            var top = 0;
            grid[0] = Outside;
            stack[top++] = 0;
            while (top > 0)
            {
                var p = stack[--top];
                var x = p % stride;
                if (x > 0 && grid[p - 1] == 0) { grid[p - 1] = Outside; stack[top++] = p - 1; }
                if (x < stride - 1 && grid[p + 1] == 0) { grid[p + 1] = Outside; stack[top++] = p + 1; }
                if (p >= stride && grid[p - stride] == 0) { grid[p - stride] = Outside; stack[top++] = p - stride; }
                if (p + stride < length && grid[p + stride] == 0) { grid[p + stride] = Outside; stack[top++] = p + stride; }
            }

            for (var p = 0; p < length; p++)
            {
                grid[p] = grid[p] == Outside ? (byte)0 : (byte)1;
            }
        }
        finally
        {
            ArrayPool<int>.Shared.Return(stack);
        }
    }

    /// <summary>
    /// Walks one loop starting with the east-going top edge of pixel (startX, startY) (unpadded coordinates).
    /// </summary>
    /// <param name="grid">Padded grid, pixel (x, y) at index (y + 1) * stride + x + 1; the margin never equals the label.</param>
    /// <param name="visited">Marks, per padded pixel index, whether its top edge has been walked.</param>
    /// <param name="offsetX">Added to every emitted corner x index.</param>
    /// <param name="offsetY">Added to every emitted corner y index.</param>
    /// <returns>Interleaved corner indices of the loop's vertices.</returns>
    private static int[] TraceLoop(byte[] grid, byte[] visited, int stride, byte label, int startX, int startY,
        int offsetX, int offsetY, ref int[] buffer)
    {
        // Slots 0 and 1 are reserved for the start corner, which is only known to be a vertex at the end.
        var n = 2;
        visited[(startY + 1) * stride + startX + 1] = 1;
        var cx = startX + 1;
        var cy = startY;
        var dir = East;
        bool startIsVertex;
        while (true)
        {
            // Index of the pixel below-right of corner (cx, cy) in the padded grid.
            var br = (cy + 1) * stride + cx + 1;
            var code = (grid[br - stride - 1] == label ? 1 : 0)
                       | (grid[br - stride] == label ? 2 : 0)
                       | (grid[br] == label ? 4 : 0)
                       | (grid[br - 1] == label ? 8 : 0);
            int outDir = OutDirection[code];
            if (outDir == Saddle)
            {
                outDir = (dir + 3) & 3;
            }
            else if (outDir == NoEdge)
            {
                throw new InvalidOperationException("Contour walk left the boundary.");
            }

            if (outDir == East)
            {
                if (cx == startX && cy == startY)
                {
                    startIsVertex = dir != East;
                    break;
                }

                visited[br] = 1;
            }

            if (outDir != dir)
            {
                if (n + 2 > buffer.Length)
                {
                    var bigger = ArrayPool<int>.Shared.Rent(buffer.Length * 2);
                    buffer.AsSpan(0, n).CopyTo(bigger);
                    ArrayPool<int>.Shared.Return(buffer);
                    buffer = bigger;
                }

                buffer[n++] = cx + offsetX;
                buffer[n++] = cy + offsetY;
            }

            dir = outDir;
            cx += DirX[dir];
            cy += DirY[dir];
        }

        var from = 2;
        if (startIsVertex)
        {
            buffer[0] = startX + offsetX;
            buffer[1] = startY + offsetY;
            from = 0;
        }

        return buffer.AsSpan(from, n - from).ToArray();
    }

    private static sbyte[] BuildOutDirectionTable()
    {
        var table = new sbyte[16];
        for (var code = 0; code < 16; code++)
        {
            bool tl = (code & 1) != 0, tr = (code & 2) != 0, br = (code & 4) != 0, bl = (code & 8) != 0;
            var count = 0;
            var dir = NoEdge;
            if (br && !tr) { count++; dir = 0; } // east: top edge of the bottom-right pixel
            if (bl && !br) { count++; dir = 1; } // south: right edge of the bottom-left pixel
            if (tl && !bl) { count++; dir = 2; } // west: bottom edge of the top-left pixel
            if (tr && !tl) { count++; dir = 3; } // north: left edge of the top-right pixel
            table[code] = (sbyte)(count == 2 ? Saddle : dir);
        }

        return table;
    }
}
