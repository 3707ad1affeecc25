namespace InnerEye.Imaging.Contours;

/// <summary>
/// Joins each hole to the outer boundary around it through a zero-width vertical channel, as RTConvert does, so that a
/// region with holes is one closed polygon. Readers that combine a slice's contours by union (plastimatch, and planning
/// systems that ignore nesting) and readers that use even-odd parity then see the same shape.
/// </summary>
/// <remarks>
/// A channel that leaves the hole at one of its corners, or meets the outer boundary at a reflex corner, continues an
/// edge in a straight line; those collinear vertices are dropped from the joined polygon
/// (<see cref="Contour2D.WithoutCollinearVertices"/>), so the result keeps <see cref="Contour2D"/>'s rule that every
/// vertex is a turn. The channel itself, and the corners at its two ends, stay: the curve is unchanged.
/// </remarks>
public static class HoleSplicer
{
    public static IReadOnlyList<Contour2D> Splice(IReadOnlyList<Contour2D> contours)
    {
        if (!contours.Any(c => c.IsHole)) return contours;
        var outers = contours.Where(c => !c.IsHole).Select(c => new Merged(c)).ToList();
        var result = new List<Contour2D>();
        foreach (var hole in contours.Where(c => c.IsHole).OrderBy(TopY).ThenBy(TopX))
        {
            var parent = outers.Where(o => o.Contains(TopX(hole) + 0.5, TopY(hole) + 0.5)).MinBy(o => o.Area);
            if (parent is null || !parent.TryJoin(hole)) result.Add(hole);
        }
        result.InsertRange(0, outers.Select(o => o.ToContour()));
        return result;
    }

    private static int TopY(Contour2D c)
    {
        var y = int.MaxValue;
        for (var k = 0; k < c.VertexCount; k++) y = Math.Min(y, c.CornerY(k));
        return y;
    }

    private static int TopX(Contour2D c)
    {
        int y = TopY(c), x = int.MaxValue;
        for (var k = 0; k < c.VertexCount; k++)
        {
            if (c.CornerY(k) == y) x = Math.Min(x, c.CornerX(k));
        }
        return x;
    }

    /// <summary>An outer boundary with the holes joined to it so far, as a list of corners.</summary>
    private sealed class Merged(Contour2D outer)
    {
        private readonly List<(int X, int Y)> _corners = Enumerable.Range(0, outer.VertexCount)
            .Select(k => (outer.CornerX(k), outer.CornerY(k))).ToList();

        public double Area { get; } = outer.Area;

        public Contour2D ToContour()
        {
            var corners = new int[_corners.Count * 2];
            for (var k = 0; k < _corners.Count; k++) (corners[2 * k], corners[2 * k + 1]) = _corners[k];
            return new Contour2D(outer.Label, corners).WithoutCollinearVertices();
        }

        /// <summary>Even-odd containment of a point that lies on no edge (corner coordinates).</summary>
        public bool Contains(double x, double y)
        {
            var inside = false;
            for (int k = 0, n = _corners.Count; k < n; k++)
            {
                var (ax, ay) = _corners[k];
                var (bx, by) = _corners[(k + 1) % n];
                if (ax == bx && (ay > y) != (by > y) && ax > x) inside = !inside;
            }
            return inside;
        }

        /// <summary>
        /// Finds a corner on the hole's top edge from which a vertical channel upwards first meets the boundary either in
        /// the middle of a horizontal edge or at a corner whose interior angle the channel enters, and splices the hole in.
        /// </summary>
        public bool TryJoin(Contour2D hole)
        {
            int top = TopY(hole), n = hole.VertexCount;
            for (var k = 0; k < n; k++)
            {
                var next = (k + 1) % n;
                if (hole.CornerY(k) != top || hole.CornerY(next) != top) continue;
                int from = Math.Min(hole.CornerX(k), hole.CornerX(next)), to = Math.Max(hole.CornerX(k), hole.CornerX(next));
                for (var x = from; x <= to; x++)
                {
                    var at = AttachmentAbove(x, top);
                    if (at < 0) continue;
                    Insert(at, x, top, hole, next);
                    return true;
                }
            }
            return false;
        }

        /// <summary>
        /// Where a channel going up from (x, y) first meets the boundary: the index after which the hole is inserted
        /// (an edge start, or a corner occurrence), or −1 when the first thing met is unusable.
        /// </summary>
        private int AttachmentAbove(int x, int y)
        {
            int n = _corners.Count, edge = -1, hitY = int.MinValue;
            for (var k = 0; k < n; k++)
            {
                var (ax, ay) = _corners[k];
                var (bx, by) = _corners[(k + 1) % n];
                if (ay == by && ay < y && Math.Min(ax, bx) < x && x < Math.Max(ax, bx) && ay > hitY)
                {
                    edge = k;
                    hitY = ay;
                }
            }
            var cornerY = int.MinValue;
            for (var k = 0; k < n; k++)
            {
                if (_corners[k].X == x && _corners[k].Y < y) cornerY = Math.Max(cornerY, _corners[k].Y);
            }
            if (cornerY == int.MinValue) return edge;
            if (cornerY < hitY) return edge;
            if (cornerY == hitY) return -1;
            // A corner is met first: use an occurrence of it where going down enters the polygon's interior.
            for (var k = 0; k < n; k++)
            {
                if (_corners[k] != (x, cornerY)) continue;
                var (px, py) = _corners[(k + n - 1) % n];
                var (nx, ny) = _corners[(k + 1) % n];
                if (EntersInterior(Math.Sign(x - px), Math.Sign(cornerY - py), Math.Sign(nx - x), Math.Sign(ny - cornerY))) return k - 1 < 0
                    ? n - 1 : k - 1;
            }
            return -1;
        }

        /// <summary>
        /// Whether the direction straight down (0, +1) lies strictly inside the interior angle at a corner reached
        /// along <c>(inX, inY)</c> and left along <c>(outX, outY)</c>. Outer boundaries run with the interior on the
        /// side of (−dy, dx) (positive area with y down).
        /// </summary>
        private static bool EntersInterior(int inX, int inY, int outX, int outY)
        {
            // Sweep from the outgoing direction towards the interior side (turning by +90° each step) until the
            // reversed incoming direction; the interior angle is made of the directions passed strictly between.
            (int X, int Y) d = (outX, outY), back = (-inX, -inY);
            for (var step = 0; step < 4; step++)
            {
                d = (-d.Y, d.X);
                if (d == back) return false;
                if (d == (0, 1)) return true;
            }
            return false;
        }

        /// <summary>outer … corner k, q, h, hole corners around to h, q, corner k + 1 …</summary>
        private void Insert(int after, int x, int top, Contour2D hole, int next)
        {
            var n = _corners.Count;
            var (ax, ay) = _corners[after];
            var (bx, by) = _corners[(after + 1) % n];
            // q is the point met: inside the edge after → after + 1, or the corner after + 1 itself.
            var q = ay == by && Math.Min(ax, bx) < x && x < Math.Max(ax, bx) ? (x, ay) : (bx, by);
            var path = new List<(int X, int Y)> { q, (x, top) };
            var m = hole.VertexCount;
            for (var i = 0; i < m; i++)
            {
                var c = (hole.CornerX((next + i) % m), hole.CornerY((next + i) % m));
                if (c != (x, top)) path.Add(c);
            }
            path.Add((x, top));
            path.Add(q);
            if (q == (bx, by))
            {
                // The corner itself is already in the list at after + 1: go from it down the channel and back to it.
                _corners.InsertRange((after + 1) % n + 1, path.Skip(1));
                return;
            }
            _corners.InsertRange(after + 1, path);
        }
    }
}
