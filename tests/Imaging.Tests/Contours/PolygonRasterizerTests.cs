using InnerEye.Imaging.Contours;
using Xunit;
using static InnerEye.Imaging.Tests.Contours.MaskTestHelpers;

namespace InnerEye.Imaging.Tests.Contours;

public class PolygonRasterizerTests
{
    private static double[] Rect(double x0, double y0, double x1, double y1) => [x0, y0, x1, y0, x1, y1, x0, y1];

    private static byte[] Pixels(int width, int height, params (int X, int Y)[] set)
    {
        var mask = new byte[width * height];
        foreach (var (x, y) in set)
        {
            mask[y * width + x] = 1;
        }

        return mask;
    }

    private static (int, int)[] Block(int x0, int y0, int x1, int y1) =>
        (from y in Enumerable.Range(y0, y1 - y0 + 1) from x in Enumerable.Range(x0, x1 - x0 + 1) select (x, y)).ToArray();

    /// <summary>
    /// Per-pixel reference with the documented rule: count edges with min(y) ≤ j &lt; max(y) whose crossing
    /// (computed from the lower endpoint) is ≤ i; odd means inside.
    /// </summary>
    private static byte[] BruteForce(IReadOnlyList<double[]> polygons, int width, int height)
    {
        var mask = new byte[width * height];
        for (var j = 0; j < height; j++)
        {
            for (var i = 0; i < width; i++)
            {
                var count = 0;
                foreach (var p in polygons)
                {
                    var n = p.Length / 2;
                    for (var k = 0; k < n; k++)
                    {
                        var k1 = (k + 1) % n;
                        double xa = p[2 * k], ya = p[2 * k + 1], xb = p[2 * k1], yb = p[2 * k1 + 1];
                        if (ya == yb)
                        {
                            continue;
                        }

                        if (ya > yb)
                        {
                            (xa, xb) = (xb, xa);
                            (ya, yb) = (yb, ya);
                        }

                        if (ya <= j && j < yb && xa + (j - ya) * ((xb - xa) / (yb - ya)) <= i)
                        {
                            count++;
                        }
                    }
                }

                mask[j * width + i] = (byte)(count & 1);
            }
        }

        return mask;
    }

    [SkippableFact]
    public void PixelEdgeSquareCoversExactlyItsPixels()
    {
        var mask = PolygonRasterizer.Rasterize([Rect(0.5, 1.5, 3.5, 3.5)], 6, 5);
        AssertMaskEqual(Pixels(6, 5, Block(1, 2, 3, 3)), mask, 6, 5);
    }

    [SkippableFact]
    public void CentresOnEdgesFollowHalfOpenRule()
    {
        // Centres on the left and top edges are inside; on the right and bottom edges outside.
        var mask = PolygonRasterizer.Rasterize([Rect(1, 1, 4, 3)], 6, 5);
        AssertMaskEqual(Pixels(6, 5, Block(1, 1, 3, 2)), mask, 6, 5);

        // Same with the vertices in the other order.
        double[] reversed = [1, 1, 1, 3, 4, 3, 4, 1];
        AssertMaskEqual(mask, PolygonRasterizer.Rasterize([reversed], 6, 5), 6, 5);
    }

    [SkippableFact]
    public void NonIntegerCoordinatesUseCentres()
    {
        var mask = PolygonRasterizer.Rasterize([Rect(0.2, 0.9, 3.7, 2.95)], 6, 5);
        AssertMaskEqual(Pixels(6, 5, Block(1, 1, 3, 2)), mask, 6, 5);
    }

    [SkippableFact]
    public void SharedEdgesAreNotDoubleCounted()
    {
        // Two squares sharing the edge x = 4 (through pixel centres) and two sharing y = 2.5 (between rows).
        List<double[]> polygons = [Rect(1, 1, 4, 3), [6, 1, 6, 3, 4, 3, 4, 1]];
        var mask = PolygonRasterizer.Rasterize(polygons, 8, 5);
        AssertMaskEqual(Pixels(8, 5, Block(1, 1, 5, 2)), mask, 8, 5);

        polygons = [Rect(0.5, 0.5, 3.5, 2.5), Rect(0.5, 2.5, 3.5, 4.5)];
        mask = PolygonRasterizer.Rasterize(polygons, 5, 6);
        AssertMaskEqual(Pixels(5, 6, Block(1, 1, 3, 4)), mask, 5, 6);
    }

    [SkippableFact]
    public void OverlapsCancelUnderEvenOdd()
    {
        var polygons = new List<double[]> { Rect(-0.5, -0.5, 3.5, 3.5), Rect(1.5, 1.5, 5.5, 5.5) };
        var mask = PolygonRasterizer.Rasterize(polygons, 6, 6);
        var expected = new byte[36];
        for (var y = 0; y < 6; y++)
        {
            for (var x = 0; x < 6; x++)
            {
                bool a = x <= 3 && y <= 3, b = x >= 2 && y >= 2;
                expected[y * 6 + x] = (byte)(a ^ b ? 1 : 0);
            }
        }

        AssertMaskEqual(expected, mask, 6, 6);
    }

    [SkippableFact]
    public void DiamondThroughPixelCentres()
    {
        // Vertices on pixel centres. Row 0 meets both edges at the top vertex (3, 0): two equal crossings, an empty
        // span, so that centre is outside, as is the bottom vertex (no edge has row 6 in its half-open range).
        // The left vertex (0, 3) is inside (centre on a crossing counts as right of it), the right vertex (6, 3) not.
        double[] diamond = [3, 0, 6, 3, 3, 6, 0, 3];
        var mask = PolygonRasterizer.Rasterize([diamond], 7, 7);
        AssertMaskEqual(BruteForce([diamond], 7, 7), mask, 7, 7);
        Assert.Equal(0, mask[0 * 7 + 3]);
        Assert.Equal(1, mask[1 * 7 + 3]);
        Assert.Equal(0, mask[6 * 7 + 3]);
        Assert.Equal(1, mask[3 * 7 + 0]);
        Assert.Equal(0, mask[3 * 7 + 6]);
    }

    [SkippableFact]
    public void ClipsPolygonsOutsideTheImage()
    {
        var mask = PolygonRasterizer.Rasterize([Rect(-100.5, -3.5, 2.5, 1.5)], 5, 4);
        AssertMaskEqual(Pixels(5, 4, Block(0, 0, 2, 1)), mask, 5, 4);

        mask = PolygonRasterizer.Rasterize([Rect(10, 10, 20, 20), Rect(-20, -20, -10, -10)], 5, 4);
        Assert.All(mask, v => Assert.Equal(0, v));

        mask = PolygonRasterizer.Rasterize([Rect(-1e12, -1e12, 1e12, 1e12)], 5, 4);
        Assert.All(mask, v => Assert.Equal(1, v));
    }

    [SkippableFact]
    public void DegeneratePolygonsContributeNothing()
    {
        List<double[]> polygons = [[], [1, 1], [0, 0, 3, 3], [0, 0, 4, 0, 2, 0]];
        var mask = PolygonRasterizer.Rasterize(polygons, 5, 5);
        Assert.All(mask, v => Assert.Equal(0, v));
    }

    [SkippableFact]
    public void WritesValueAndLeavesOtherPixelsAlone()
    {
        var mask = Enumerable.Repeat((byte)9, 16).ToArray();
        PolygonRasterizer.Rasterize([Rect(0.5, 0.5, 2.5, 2.5)], 4, 4, mask, 3);
        for (var y = 0; y < 4; y++)
        {
            for (var x = 0; x < 4; x++)
            {
                var inside = x is 1 or 2 && y is 1 or 2;
                Assert.Equal(inside ? 3 : 9, mask[y * 4 + x]);
            }
        }
    }

    [SkippableFact]
    public void RejectsBadInput()
    {
        Assert.Throws<ArgumentException>(() => PolygonRasterizer.Rasterize([new double[] { 0, 0, 1 }], 4, 4));
        Assert.Throws<ArgumentException>(() => PolygonRasterizer.Rasterize([new double[] { 0, 0, double.NaN, 1, 2, 2 }], 4, 4));
        Assert.Throws<ArgumentException>(() =>
            PolygonRasterizer.Rasterize([new double[] { 0, 0, double.PositiveInfinity, 1, 2, 2 }], 4, 4));
        Assert.Throws<ArgumentException>(() => PolygonRasterizer.Rasterize([Rect(0, 0, 1, 1)], 4, 4, new byte[15], 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => PolygonRasterizer.Rasterize(new List<double[]>(), 0, 4));
    }

    [SkippableFact]
    public void RandomPolygonsMatchPerPixelReference()
    {
        var random = new Random(2024);
        for (var iteration = 0; iteration < 300; iteration++)
        {
            int w = random.Next(1, 30), h = random.Next(1, 30);
            var polygonCount = random.Next(1, 4);
            var polygons = new List<double[]>();
            for (var p = 0; p < polygonCount; p++)
            {
                var n = random.Next(3, 12);
                var xy = new double[2 * n];
                for (var k = 0; k < n; k++)
                {
                    xy[2 * k] = RandomCoordinate(random, w);
                    xy[2 * k + 1] = RandomCoordinate(random, h);
                }

                polygons.Add(xy);
            }

            AssertMaskEqual(BruteForce(polygons, w, h), PolygonRasterizer.Rasterize(polygons, w, h), w, h);
        }
    }

    private static double RandomCoordinate(Random random, int size)
    {
        // Mix exact pixel centres, pixel corners and arbitrary values (some outside the image).
        return random.Next(3) switch
        {
            0 => random.Next(-2, size + 2),
            1 => random.Next(-2, size + 2) + 0.5,
            _ => random.NextDouble() * (size + 4) - 2,
        };
    }

    [SkippableFact]
    public void TracedContoursSurviveFloatingPointPerturbation()
    {
        // Contours read back from DICOM pass through floating-point geometry: small errors must not change the mask.
        var random = new Random(77);
        const int w = 64, h = 64;
        for (var iteration = 0; iteration < 40; iteration++)
        {
            var mask = RandomBlobs(random, w, h, 0.5, 2);
            var contours = ContourTracer.Trace(mask, w, h, 1, fillHoles: false);
            var polygons = new List<double[]>();
            foreach (var contour in contours)
            {
                var xy = contour.ToPixelCoordinates();
                for (var i = 0; i < xy.Length; i++)
                {
                    // Round-trip through a scale, an offset and float precision, like pixel -> patient -> pixel.
                    var patient = (xy[i] * 0.9765625 + -249.51171875);
                    xy[i] = ((float)patient - -249.51171875) / 0.9765625 + (random.NextDouble() - 0.5) * 1e-3;
                }

                polygons.Add(xy);
            }

            AssertMaskEqual(mask, PolygonRasterizer.Rasterize(polygons, w, h), w, h);
            AssertMaskEqual(mask, PolygonRasterizer.Rasterize(contours, w, h), w, h);
        }
    }
}
