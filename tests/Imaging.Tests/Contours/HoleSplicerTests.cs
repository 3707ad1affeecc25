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
        Assert.Equal(4 + 4 + 3, spliced.VertexCount);
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
