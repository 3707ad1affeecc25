using System.Buffers;

namespace InnerEye.Imaging.Contours;

/// <summary>
/// Scan-converts closed polygons in pixel coordinates into a mask using the even-odd rule.
/// </summary>
/// <remarks>
/// <para>
/// Coordinates are those of <see cref="Contour2D"/>: pixel (i, j) has its centre at (i, j) and covers
/// [i - 0.5, i + 0.5] × [j - 0.5, j + 0.5]. A pixel is set when its centre lies inside an odd number of the given
/// polygons (equivalently: a ray from the centre towards +x crosses the polygons' edges an odd number of times).
/// </para>
/// <para>
/// Boundary conventions, which make the result exact and free of double counting:
/// an edge takes part in row j when min(y0, y1) ≤ j &lt; max(y0, y1) (half-open in y, horizontal edges never take
/// part), so a vertex on the row is counted once for edges passing through it and zero or two times at an extremum;
/// the crossing x is computed from the edge's lower endpoint, so an edge shared by two polygons yields bit-identical
/// crossings whatever direction each polygon runs; and a centre exactly on a crossing counts as being to the right
/// of it (half-open in x). Polygons traced on pixel corners never pass through a pixel centre, so they rasterize back
/// to exactly the traced pixels. Parts of polygons outside the image are clipped.
/// </para>
/// </remarks>
public static class PolygonRasterizer
{
    /// <summary>Rasterizes polygons given as interleaved (x0, y0, x1, y1, ...) pixel coordinates into a new 0/1 mask.</summary>
    public static byte[] Rasterize(IReadOnlyList<double[]> polygons, int width, int height)
    {
        ValidateSize(width, height);
        var mask = new byte[width * height];
        Rasterize(polygons, width, height, mask, 1);
        return mask;
    }

    /// <summary>
    /// Rasterizes polygons given as interleaved (x0, y0, x1, y1, ...) pixel coordinates, writing <paramref name="value"/>
    /// to every pixel of <paramref name="mask"/> whose centre is inside; other pixels are left unchanged.
    /// </summary>
    public static void Rasterize(IReadOnlyList<double[]> polygons, int width, int height, Span<byte> mask, byte value)
    {
        ArgumentNullException.ThrowIfNull(polygons);
        var edges = new EdgeTable(width, height, mask.Length);
        try
        {
            for (var p = 0; p < polygons.Count; p++)
            {
                var polygon = polygons[p] ?? throw new ArgumentException($"Polygon {p} is null.", nameof(polygons));
                edges.AddPolygon(polygon);
            }

            edges.Fill(mask, value);
        }
        finally
        {
            edges.Dispose();
        }
    }

    /// <summary>Rasterizes traced contours into a new 0/1 mask (even-odd across all of them).</summary>
    public static byte[] Rasterize(IReadOnlyList<Contour2D> contours, int width, int height)
    {
        ValidateSize(width, height);
        var mask = new byte[width * height];
        Rasterize(contours, width, height, mask, 1);
        return mask;
    }

    /// <summary>
    /// Rasterizes traced contours (even-odd across all of them), writing <paramref name="value"/> to every pixel whose
    /// centre is inside; other pixels are left unchanged.
    /// </summary>
    public static void Rasterize(IReadOnlyList<Contour2D> contours, int width, int height, Span<byte> mask, byte value)
    {
        ArgumentNullException.ThrowIfNull(contours);
        var edges = new EdgeTable(width, height, mask.Length);
        var scratch = ArrayPool<double>.Shared.Rent(64);
        try
        {
            for (var c = 0; c < contours.Count; c++)
            {
                Contour2D contour = contours[c] ?? throw new ArgumentException($"Contour {c} is null.", nameof(contours));
                var length = 2 * contour.VertexCount;
                if (scratch.Length < length)
                {
                    ArrayPool<double>.Shared.Return(scratch);
                    scratch = ArrayPool<double>.Shared.Rent(length);
                }

                contour.CopyPixelCoordinatesTo(scratch);
                edges.AddPolygon(scratch.AsSpan(0, length));
            }

            edges.Fill(mask, value);
        }
        finally
        {
            ArrayPool<double>.Shared.Return(scratch);
            edges.Dispose();
        }
    }

    private static void ValidateSize(int width, int height)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        if ((long)width * height > Array.MaxLength)
        {
            throw new ArgumentException("Mask is too large.");
        }
    }

    /// <summary>
    /// Collects non-horizontal edges clipped to the image rows, then produces per-row sorted crossing lists.
    /// </summary>
    private struct EdgeTable : IDisposable
    {
        // Per edge: xLow, yLow, dx/dy, and the first and last row it crosses (stored as doubles).
        private const int EdgeStride = 5;

        private readonly int _width;
        private readonly int _height;
        private double[] _edges;
        private int _edgeCount;
        private long _crossingCount;

        public EdgeTable(int width, int height, int maskLength)
        {
            ValidateSize(width, height);
            if (maskLength < width * height)
            {
                throw new ArgumentException($"Mask has {maskLength} values but {width} × {height} are needed.");
            }

            _width = width;
            _height = height;
            _edges = ArrayPool<double>.Shared.Rent(EdgeStride * 64);
            _edgeCount = 0;
            _crossingCount = 0;
        }

        public void AddPolygon(ReadOnlySpan<double> xy)
        {
            if (xy.Length % 2 != 0)
            {
                throw new ArgumentException("Polygon coordinates must come in (x, y) pairs.");
            }

            var n = xy.Length / 2;
            for (var i = 0; i < xy.Length; i++)
            {
                if (!double.IsFinite(xy[i]))
                {
                    throw new ArgumentException("Polygon coordinates must be finite.");
                }
            }

            if (n < 2)
            {
                return;
            }

            double px = xy[2 * n - 2], py = xy[2 * n - 1];
            for (var k = 0; k < n; k++)
            {
                double x = xy[2 * k], y = xy[2 * k + 1];
                AddEdge(px, py, x, y);
                px = x;
                py = y;
            }
        }

        private void AddEdge(double xa, double ya, double xb, double yb)
        {
            if (ya == yb)
            {
                return;
            }

            // Orient from the lower y endpoint so shared edges give identical crossings.
            if (ya > yb)
            {
                (xa, xb) = (xb, xa);
                (ya, yb) = (yb, ya);
            }

            // Rows j with ya <= j < yb, clipped to the image.
            var first = Math.Ceiling(ya);
            var last = Math.Ceiling(yb) - 1;
            if (first < 0)
            {
                first = 0;
            }

            if (last > _height - 1)
            {
                last = _height - 1;
            }

            if (first > last)
            {
                return;
            }

            if ((_edgeCount + 1) * EdgeStride > _edges.Length)
            {
                var bigger = ArrayPool<double>.Shared.Rent(_edges.Length * 2);
                _edges.AsSpan(0, _edgeCount * EdgeStride).CopyTo(bigger);
                ArrayPool<double>.Shared.Return(_edges);
                _edges = bigger;
            }

            var e = _edgeCount * EdgeStride;
            _edges[e] = xa;
            _edges[e + 1] = ya;
            _edges[e + 2] = (xb - xa) / (yb - ya);
            _edges[e + 3] = first;
            _edges[e + 4] = last;
            _edgeCount++;
            _crossingCount += (long)(last - first) + 1;
        }

        public readonly void Fill(Span<byte> mask, byte value)
        {
            if (_edgeCount == 0)
            {
                return;
            }

            if (_crossingCount > Array.MaxLength)
            {
                throw new ArgumentException("Polygons are too complex to rasterize.");
            }

            var rowStart = ArrayPool<int>.Shared.Rent(_height + 1);
            var crossings = ArrayPool<double>.Shared.Rent((int)_crossingCount);
            try
            {
                Span<int> starts = rowStart.AsSpan(0, _height + 1);
                starts.Clear();
                for (var i = 0; i < _edgeCount; i++)
                {
                    var e = i * EdgeStride;
                    int first = (int)_edges[e + 3], last = (int)_edges[e + 4];
                    for (var j = first; j <= last; j++)
                    {
                        starts[j + 1]++;
                    }
                }

                for (var j = 0; j < _height; j++)
                {
                    starts[j + 1] += starts[j];
                }

                // Use a cursor per row (reusing a rented array) to drop each crossing into its row's slot range.
                var cursor = ArrayPool<int>.Shared.Rent(_height);
                try
                {
                    starts[.._height].CopyTo(cursor);
                    for (var i = 0; i < _edgeCount; i++)
                    {
                        var e = i * EdgeStride;
                        double xa = _edges[e], ya = _edges[e + 1], slope = _edges[e + 2];
                        int first = (int)_edges[e + 3], last = (int)_edges[e + 4];
                        for (var j = first; j <= last; j++)
                        {
                            crossings[cursor[j]++] = slope == 0 ? xa : xa + (j - ya) * slope;
                        }
                    }
                }
                finally
                {
                    ArrayPool<int>.Shared.Return(cursor);
                }

                for (var j = 0; j < _height; j++)
                {
                    int from = starts[j], to = starts[j + 1];
                    if (from == to)
                    {
                        continue;
                    }

                    Span<double> row = crossings.AsSpan(from, to - from);
                    row.Sort();
                    Span<byte> maskRow = mask.Slice(j * _width, _width);
                    // Centre i is inside when an odd number of crossings are <= i, i.e. c[2k] <= i < c[2k+1].
                    for (var k = 0; k + 1 < row.Length; k += 2)
                    {
                        var begin = CeilingClamped(row[k], _width);
                        var end = CeilingClamped(row[k + 1], _width);
                        if (end > begin)
                        {
                            maskRow[begin..end].Fill(value);
                        }
                    }
                }
            }
            finally
            {
                ArrayPool<double>.Shared.Return(crossings);
                ArrayPool<int>.Shared.Return(rowStart);
            }
        }

        private static int CeilingClamped(double x, int width)
        {
            var c = Math.Ceiling(x);
            if (c <= 0)
            {
                return 0;
            }

            return c >= width ? width : (int)c;
        }

        public void Dispose()
        {
            if (_edges.Length > 0)
            {
                ArrayPool<double>.Shared.Return(_edges);
                _edges = [];
            }
        }
    }
}
