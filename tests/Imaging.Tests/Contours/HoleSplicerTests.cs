using InnerEye.Imaging.Contours;

namespace InnerEye.Imaging.Tests.Contours;

public class HoleSplicerTests
{
    /// <summary>The union of each polygon's own even-odd interior: how plastimatch combines a slice's contours.</summary>
    private static byte[] Union(IReadOnlyList<Contour2D> polygons, int width, int height)
    {
        var mask = new byte[width * height];
        foreach (var p in polygons) PolygonRasterizer.Rasterize([p], width, height, mask, 1);
        return mask;
    }

    private static void AssertSpliced(byte[] mask, int width, int height)
    {
        var traced = ContourTracer.Trace(mask, width, height, 1, fillHoles: false);
        var spliced = HoleSplicer.Splice(traced);
        Assert.All(spliced, p => Assert.False(p.IsHole));
        Assert.Equal(traced.Count(p => !p.IsHole), spliced.Count);
        Assert.Equal(traced.Sum(p => p.DoubledSignedArea), spliced.Sum(p => p.DoubledSignedArea));
        MaskTestHelpers.AssertMaskEqual(mask, PolygonRasterizer.Rasterize(spliced, width, height), width, height);
        MaskTestHelpers.AssertMaskEqual(mask, Union(spliced, width, height), width, height);
        Assert.All(spliced, AssertEveryVertexTurns);
    }

    /// <summary>No vertex lies on the straight line through its neighbours with the boundary running on the same way.</summary>
    internal static void AssertEveryVertexTurns(Contour2D p)
    {
        var n = p.VertexCount;
        for (var k = 0; k < n; k++)
        {
            int a = (k + n - 1) % n, b = (k + 1) % n;
            long ax = p.CornerX(k) - p.CornerX(a), ay = p.CornerY(k) - p.CornerY(a);
            long bx = p.CornerX(b) - p.CornerX(k), by = p.CornerY(b) - p.CornerY(k);
            Assert.False(ax * by - ay * bx == 0 && ax * bx + ay * by > 0, $"vertex {k} ({p.CornerX(k)}, {p.CornerY(k)}) of {p} is collinear");
        }
    }

    [SkippableFact]
    public void RingBecomesOneKeyholePolygon()
    {
        var mask = MaskTestHelpers.Parse(out var w, out var h,
            ".......",
            ".#####.",
            ".#...#.",
            ".#...#.",
            ".#####.",
            ".......");
        var spliced = Assert.Single(HoleSplicer.Splice(ContourTracer.Trace(mask, w, h, 1, fillHoles: false)));
        // Outer 4 + hole 4 + the channel's top end (met mid-edge, twice) and the hole corner it leaves from once more;
        // the channel continues the hole's left edge, so the first visit of that corner is collinear and dropped.
        Assert.Equal(4 + 4 + 3 - 1, spliced.VertexCount);
        AssertSpliced(mask, w, h);
    }

    /// <summary>
    /// The channel leaves the hole at its top-left corner and meets the outer boundary at a reflex corner right above:
    /// both corners are passed straight through on the way down and are dropped there; their turning visits stay.
    /// </summary>
    [SkippableFact]
    public void AChannelIntoAReflexCornerKeepsOnlyTheTurningVertices()
    {
        var mask = MaskTestHelpers.Parse(out var w, out var h,
            "###..####",
            "###..####",
            "#########",
            "###...###",
            "###...###",
            "#########");
        var spliced = Assert.Single(HoleSplicer.Splice(ContourTracer.Trace(mask, w, h, 1, fillHoles: false)));
        // Outer 8 + (reflex corner, hole 4, hole corner again, reflex corner again) − the two straight-through visits.
        Assert.Equal(8 + 6 - 2, spliced.VertexCount);
        AssertSpliced(mask, w, h);
    }

    [SkippableFact]
    public void HolesAboveEachOtherAndAnIslandInAHole()
    {
        var mask = MaskTestHelpers.Parse(out var w, out var h,
            "###########",
            "#..#......#",
            "#..#.###..#",
            "####.#.#..#",
            "#....###..#",
            "#.........#",
            "###########");
        AssertSpliced(mask, w, h);
    }

    /// <summary>Smooth random shapes: every hole is joined, and union and parity readers both get the exact mask.</summary>
    [SkippableFact]
    public void RandomBlobsKeepTheirShapeUnderUnionAndParity()
    {
        var random = new Random(4242);
        for (var n = 0; n < 300; n++)
        {
            int w = random.Next(8, 64), h = random.Next(8, 64);
            AssertSpliced(MaskTestHelpers.RandomBlobs(random, w, h, 0.5 + 0.3 * random.NextDouble(), 2), w, h);
        }
    }

    /// <summary>
    /// Pixel noise, where holes touch each other corner to corner: a hole that no channel can reach without running
    /// along another boundary stays a separate hole contour, so parity readers still get the exact mask.
    /// </summary>
    [SkippableFact]
    public void RandomNoiseJoinsAlmostEveryHoleAndStaysExactUnderParity()
    {
        var random = new Random(77);
        int holes = 0, joined = 0;
        for (var n = 0; n < 300; n++)
        {
            int w = random.Next(4, 48), h = random.Next(4, 48);
            var mask = MaskTestHelpers.RandomNoise(random, w, h, 0.5 + 0.4 * random.NextDouble());
            var traced = ContourTracer.Trace(mask, w, h, 1, fillHoles: false);
            var spliced = HoleSplicer.Splice(traced);
            MaskTestHelpers.AssertMaskEqual(mask, PolygonRasterizer.Rasterize(spliced, w, h), w, h);
            holes += traced.Count(p => p.IsHole);
            joined += traced.Count(p => p.IsHole) - spliced.Count(p => p.IsHole);
        }
        Assert.True(holes > 1000);
        Assert.True(joined >= 0.9 * holes, $"{joined} of {holes} holes joined");
    }
}
