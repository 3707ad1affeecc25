using InnerEye.Imaging.Contours;

namespace InnerEye.Imaging.Tests.Contours;

/// <summary><see cref="Contour2D.WithoutCollinearVertices"/> drops only vertices the boundary runs straight through.</summary>
public class CollinearVertexTests
{
    /// <summary>A w×h rectangle of pixels at (x0, y0) with a vertex at every pixel corner along its boundary.</summary>
    private static Contour2D DenseRectangle(int x0, int y0, int w, int h)
    {
        var corners = new List<int>();
        for (var x = x0; x < x0 + w; x++) corners.AddRange([x, y0]);
        for (var y = y0; y < y0 + h; y++) corners.AddRange([x0 + w, y]);
        for (var x = x0 + w; x > x0; x--) corners.AddRange([x, y0 + h]);
        for (var y = y0 + h; y > y0; y--) corners.AddRange([x0, y]);
        return new Contour2D(1, [.. corners]);
    }

    [SkippableFact]
    public void ARectangleWithAVertexAtEveryBoundaryCornerKeepsItsFourCorners()
    {
        var dense = DenseRectangle(2, 3, 7, 5);
        Assert.Equal(2 * (7 + 5), dense.VertexCount);
        var simple = dense.WithoutCollinearVertices();
        Assert.Equal(4, simple.VertexCount);
        Assert.Equal([2, 3, 9, 3, 9, 8, 2, 8], simple.Corners.ToArray());
        Assert.Equal(dense.DoubledSignedArea, simple.DoubledSignedArea);
        MaskTestHelpers.AssertMaskEqual(PolygonRasterizer.Rasterize([dense], 12, 10), PolygonRasterizer.Rasterize([simple], 12, 10), 12, 10);
        Assert.Same(simple, simple.WithoutCollinearVertices());
    }

    /// <summary>
    /// A hand-made keyhole: a square with a square hole joined by a zero-width channel, with extra vertices along the
    /// edges and inside the channel. The corners where the channel turns off the outer edge and onto the hole stay;
    /// the vertices passed straight through go, and the mask is the same.
    /// </summary>
    [SkippableFact]
    public void KeyholeChannelCornersStayAndStraightThroughVerticesGo()
    {
        // Outer square 0..8 with a channel going down from (4, 0) to the hole's top edge at (4, 3), the hole 3..5 × 3..5
        // run the other way round, then back up the channel.
        int[] corners =
        [
            0, 0, 2, 0, 4, 0, 4, 1, 4, 3, 3, 3, 3, 5, 5, 5, 5, 3, 4, 3, 4, 0, 6, 0, 8, 0, 8, 8, 0, 8, 0, 4,
        ];
        var keyhole = new Contour2D(1, corners);
        var simple = keyhole.WithoutCollinearVertices();
        // Dropped: (2, 0) and (6, 0) on the top edge, (4, 1) inside the channel, (0, 4) on the left edge.
        Assert.Equal([0, 0, 4, 0, 4, 3, 3, 3, 3, 5, 5, 5, 5, 3, 4, 3, 4, 0, 8, 0, 8, 8, 0, 8], simple.Corners.ToArray());
        Assert.Equal(keyhole.DoubledSignedArea, simple.DoubledSignedArea);
        var expected = PolygonRasterizer.Rasterize([keyhole], 10, 10);
        MaskTestHelpers.AssertMaskEqual(expected, PolygonRasterizer.Rasterize([simple], 10, 10), 10, 10);
        Assert.Equal(64 - 4, expected.Count(b => b != 0));
    }

    /// <summary>The tracer emits corners only, so traced polygons come back as the same instance.</summary>
    [SkippableFact]
    public void TracedPolygonsHaveNothingToDrop()
    {
        var random = new Random(31);
        for (var n = 0; n < 100; n++)
        {
            int w = random.Next(8, 48), h = random.Next(8, 48);
            var mask = MaskTestHelpers.RandomBlobs(random, w, h, 0.5 + 0.3 * random.NextDouble(), 2);
            foreach (var p in ContourTracer.Trace(mask, w, h, 1, fillHoles: false)) Assert.Same(p, p.WithoutCollinearVertices());
        }
    }
}
