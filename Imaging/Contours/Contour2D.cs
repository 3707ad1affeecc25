namespace InnerEye.Imaging.Contours;

/// <summary>
/// One closed polygon traced around the pixels of a label in a 2D slice.
/// </summary>
/// <remarks>
/// <para>
/// Pixel (i, j) covers the square [i - 0.5, i + 0.5] × [j - 0.5, j + 0.5] in pixel coordinates
/// (x to the right, y down). Traced vertices therefore lie on pixel corners, which are stored as integer
/// <em>corner indices</em>: corner (cx, cy) is the top-left corner of pixel (cx, cy) and sits at pixel
/// coordinates (cx - 0.5, cy - 0.5). Corner indices range over 0..width and 0..height.
/// </para>
/// <para>
/// The polygon is implicitly closed (the last vertex connects back to the first); no vertex is repeated,
/// no two consecutive vertices are equal, and only corners are kept (there are no collinear intermediate
/// vertices), so every edge is axis-aligned and consecutive edges turn by 90 degrees.
/// </para>
/// <para>
/// Orientation: the signed area Σ (x[k]·y[k+1] − x[k+1]·y[k]) / 2 computed directly on the (x, y) image
/// coordinates is positive for outer boundaries and negative for holes. With y pointing down, outer boundaries
/// therefore run clockwise as drawn on screen (counter-clockwise in a y-up frame), keeping the labelled pixels on
/// the right-hand side of the direction of travel as seen on screen; holes run the other way.
/// </para>
/// </remarks>
public sealed class Contour2D
{
    private readonly int[] _corners;

    /// <summary>Creates a contour from interleaved corner indices (cx0, cy0, cx1, cy1, ...).</summary>
    /// <param name="label">The label value the contour was traced for.</param>
    /// <param name="corners">Interleaved corner indices; the array is taken over, not copied.</param>
    public Contour2D(byte label, int[] corners)
    {
        ArgumentNullException.ThrowIfNull(corners);
        if (corners.Length % 2 != 0)
        {
            throw new ArgumentException("Corner indices must come in (x, y) pairs.", nameof(corners));
        }

        Label = label;
        _corners = corners;
        DoubledSignedArea = ComputeDoubledSignedArea(corners);
    }

    /// <summary>The label value this contour bounds.</summary>
    public byte Label { get; }

    /// <summary>Number of vertices (corners) in the closed polygon.</summary>
    public int VertexCount => _corners.Length / 2;

    /// <summary>Interleaved corner indices (cx0, cy0, cx1, cy1, ...). Vertex k lies at (cx - 0.5, cy - 0.5).</summary>
    public ReadOnlySpan<int> Corners => _corners;

    /// <summary>
    /// Twice the signed area in pixel units (always an integer for traced contours); positive for outer boundaries,
    /// negative for holes.
    /// </summary>
    public long DoubledSignedArea { get; }

    /// <summary>Enclosed area in pixels (absolute value of the signed area).</summary>
    public double Area => Math.Abs(DoubledSignedArea) / 2.0;

    /// <summary>True when this polygon bounds a hole (background enclosed by the label) rather than the label's outside.</summary>
    public bool IsHole => DoubledSignedArea < 0;

    /// <summary>Corner index x of vertex <paramref name="k"/>.</summary>
    public int CornerX(int k) => _corners[2 * k];

    /// <summary>Corner index y of vertex <paramref name="k"/>.</summary>
    public int CornerY(int k) => _corners[2 * k + 1];

    /// <summary>Pixel x coordinate of vertex <paramref name="k"/> (a half-integer).</summary>
    public double X(int k) => _corners[2 * k] - 0.5;

    /// <summary>Pixel y coordinate of vertex <paramref name="k"/> (a half-integer).</summary>
    public double Y(int k) => _corners[2 * k + 1] - 0.5;

    /// <summary>Writes the vertices as interleaved pixel coordinates (x0, y0, x1, y1, ...) into <paramref name="destination"/>.</summary>
    public void CopyPixelCoordinatesTo(Span<double> destination)
    {
        if (destination.Length < _corners.Length)
        {
            throw new ArgumentException("Destination is too short.", nameof(destination));
        }

        for (var i = 0; i < _corners.Length; i++)
        {
            destination[i] = _corners[i] - 0.5;
        }
    }

    /// <summary>Returns the vertices as interleaved pixel coordinates (x0, y0, x1, y1, ...).</summary>
    public double[] ToPixelCoordinates()
    {
        var result = new double[_corners.Length];
        CopyPixelCoordinatesTo(result);
        return result;
    }

    /// <summary>
    /// This polygon without its collinear vertices: a vertex where the boundary runs straight on (the edges before and
    /// after it point the same way) is dropped, which leaves the closed curve — and so every rasterisation of it —
    /// exactly as it was. Every vertex where the boundary turns stays, a reversal (turning back on itself) included, so
    /// the corners at both ends of a zero-width keyhole channel are kept. Returns this instance when there is nothing
    /// to drop.
    /// </summary>
    public Contour2D WithoutCollinearVertices()
    {
        var n = VertexCount;
        if (n < 4)
        {
            return this;
        }

        var kept = 0;
        for (var k = 0; k < n; k++)
        {
            if (!RunsStraightThrough(k))
            {
                kept++;
            }
        }

        if (kept == n || kept < 3)
        {
            return this;
        }

        var corners = new int[2 * kept];
        var at = 0;
        for (var k = 0; k < n; k++)
        {
            if (RunsStraightThrough(k))
            {
                continue;
            }

            corners[at++] = _corners[2 * k];
            corners[at++] = _corners[2 * k + 1];
        }

        return new Contour2D(Label, corners);
    }

    /// <summary>
    /// Whether vertex <paramref name="k"/> lies on the straight segment from its predecessor to its successor, with the
    /// boundary continuing in the same direction (not reversing). Dropping such vertices one by one or all at once gives
    /// the same polygon, since the merged edge points the same way as the edges it replaces.
    /// </summary>
    private bool RunsStraightThrough(int k)
    {
        var n = VertexCount;
        int p = (k + n - 1) % n, q = (k + 1) % n;
        long ax = _corners[2 * k] - _corners[2 * p], ay = _corners[2 * k + 1] - _corners[2 * p + 1];
        long bx = _corners[2 * q] - _corners[2 * k], by = _corners[2 * q + 1] - _corners[2 * k + 1];
        return ax * by - ay * bx == 0 && ax * bx + ay * by > 0;
    }

    public override string ToString() =>
        $"Contour2D(label {Label}, {VertexCount} vertices, {(IsHole ? "hole" : "outer")}, area {Area})";

    private static long ComputeDoubledSignedArea(int[] c)
    {
        var n = c.Length / 2;
        if (n < 3)
        {
            return 0;
        }

        long sum = 0;
        int px = c[2 * n - 2], py = c[2 * n - 1];
        for (var k = 0; k < n; k++)
        {
            int x = c[2 * k], y = c[2 * k + 1];
            sum += (long)px * y - (long)x * py;
            px = x;
            py = y;
        }

        return sum;
    }
}
