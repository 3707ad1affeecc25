using InnerEye.Imaging.Contours;
using Xunit;
using static InnerEye.Imaging.Tests.Contours.MaskTestHelpers;

namespace InnerEye.Imaging.Tests.Contours;

public class ContourTracerTests
{
    private static IReadOnlyList<Contour2D> TraceAndCheck(byte[] slice, int width, int height, bool fillHoles, byte label = 1)
    {
        var contours = ContourTracer.Trace(slice, width, height, label, fillHoles);
        AssertTraceMatches(slice, width, height, label, fillHoles, contours);
        return contours;
    }

    private static void TraceBothWays(byte[] slice, int width, int height, byte label = 1)
    {
        TraceAndCheck(slice, width, height, fillHoles: false, label);
        TraceAndCheck(slice, width, height, fillHoles: true, label);
    }

    private static (int X, int Y)[] Vertices(Contour2D contour) =>
        Enumerable.Range(0, contour.VertexCount).Select(k => (contour.CornerX(k), contour.CornerY(k))).ToArray();

    [SkippableFact]
    public void EmptySliceHasNoContours()
    {
        var slice = new byte[16];
        Assert.Empty(ContourTracer.Trace(slice, 4, 4, 1, fillHoles: false));
        Assert.Empty(ContourTracer.Trace(slice, 4, 4, 1, fillHoles: true));
    }

    [SkippableFact]
    public void SinglePixelIsAUnitSquareOnItsCorners()
    {
        var slice = Parse(out var w, out var h,
            ".....",
            ".....",
            ".....",
            "..#..",
            ".....");
        var contours = TraceAndCheck(slice, w, h, fillHoles: false);
        var c = Assert.Single(contours);
        Assert.False(c.IsHole);
        Assert.Equal(4, c.VertexCount);
        Assert.Equal(2, c.DoubledSignedArea);
        Assert.Equal(1.0, c.Area);

        // Pixel (2, 3) covers [1.5, 2.5] × [2.5, 3.5]; the walk starts at the top-left corner and runs east first.
        Assert.Equal([(2, 3), (3, 3), (3, 4), (2, 4)], Vertices(c));
        Assert.Equal([1.5, 2.5, 2.5, 2.5, 2.5, 3.5, 1.5, 3.5], c.ToPixelCoordinates());
    }

    [SkippableFact]
    public void FilledSquareHasExactlyFourVertices()
    {
        var slice = Parse(out var w, out var h,
            "......",
            ".####.",
            ".####.",
            ".####.",
            ".####.",
            "......");
        foreach (var fill in new[] { false, true })
        {
            var c = Assert.Single(TraceAndCheck(slice, w, h, fill));
            Assert.Equal(4, c.VertexCount);
            Assert.False(c.IsHole);
            Assert.Equal(16.0, c.Area);
            Assert.Equal([(1, 1), (5, 1), (5, 5), (1, 5)], Vertices(c));
        }
    }

    [SkippableFact]
    public void RingHasOuterAndHoleWithFourVerticesEach()
    {
        var slice = Parse(out var w, out var h,
            ".......",
            ".#####.",
            ".#####.",
            ".##.##.",
            ".#####.",
            ".#####.",
            ".......");
        var contours = TraceAndCheck(slice, w, h, fillHoles: false);
        Assert.Equal(2, contours.Count);
        var outer = Assert.Single(contours, c => !c.IsHole);
        var hole = Assert.Single(contours, c => c.IsHole);
        Assert.Equal(4, outer.VertexCount);
        Assert.Equal(4, hole.VertexCount);
        Assert.Equal(25.0, outer.Area);
        Assert.Equal(1.0, hole.Area);
        Assert.True(outer.DoubledSignedArea > 0);
        Assert.True(hole.DoubledSignedArea < 0);
        Assert.Equal(new HashSet<(int, int)> { (3, 3), (4, 3), (4, 4), (3, 4) }, Vertices(hole).ToHashSet());

        var filled = TraceAndCheck(slice, w, h, fillHoles: true);
        var only = Assert.Single(filled);
        Assert.False(only.IsHole);
        Assert.Equal(4, only.VertexCount);
        Assert.Equal(25.0, only.Area);
    }

    [SkippableFact]
    public void OrientationOuterRunsEastAlongTopAndHoleRunsWestAlongItsTop()
    {
        var slice = Parse(out var w, out var h,
            "####",
            "#..#",
            "####");
        var contours = TraceAndCheck(slice, w, h, fillHoles: false);
        var outer = Assert.Single(contours, c => !c.IsHole);
        var hole = Assert.Single(contours, c => c.IsHole);

        // Outer: the edge leaving the top-left corner (0, 0) goes east (+x): clockwise on screen, positive area.
        var ov = Vertices(outer);
        var i = Array.IndexOf(ov, (0, 0));
        Assert.True(i >= 0);
        Assert.Equal((4, 0), ov[(i + 1) % ov.Length]);

        // Hole [1,3]×[1,2] in corners: its top edge is walked westwards.
        var hv = Vertices(hole);
        var j = Array.IndexOf(hv, (3, 1));
        Assert.True(j >= 0);
        Assert.Equal((1, 1), hv[(j + 1) % hv.Length]);
    }

    [SkippableFact]
    public void SquareWithTwoHoles()
    {
        var slice = Parse(out var w, out var h,
            "..........",
            ".########.",
            ".#..##.##.",
            ".#..##.##.",
            ".########.",
            ".########.",
            "..........");
        var contours = TraceAndCheck(slice, w, h, fillHoles: false);
        Assert.Equal(3, contours.Count);
        Assert.Single(contours, c => !c.IsHole);
        var holes = contours.Where(c => c.IsHole).ToList();
        Assert.Equal(2, holes.Count);
        Assert.All(contours, c => Assert.Equal(4, c.VertexCount));
        Assert.Equal(new[] { 2.0, 4.0 }, holes.Select(c => c.Area).OrderBy(a => a));

        var filled = Assert.Single(TraceAndCheck(slice, w, h, fillHoles: true));
        Assert.Equal(4, filled.VertexCount);
        Assert.Equal(40.0, filled.Area);
    }

    [SkippableFact]
    public void IslandInsideHoleNestedThreeLevels()
    {
        var slice = Parse(out var w, out var h,
            ".............",
            ".###########.",
            ".#.........#.",
            ".#.#######.#.",
            ".#.#.....#.#.",
            ".#.#..#..#.#.",
            ".#.#.....#.#.",
            ".#.#######.#.",
            ".#.........#.",
            ".###########.",
            ".............");
        var contours = TraceAndCheck(slice, w, h, fillHoles: false);

        // Outer ring + its hole, island ring + its hole, innermost pixel.
        Assert.Equal(5, contours.Count);
        Assert.Equal(3, contours.Count(c => !c.IsHole));
        Assert.Equal(2, contours.Count(c => c.IsHole));
        Assert.All(contours, c => Assert.Equal(4, c.VertexCount));
        Assert.Equal(new[] { 1.0, 15.0, 35.0, 63.0, 99.0 }, contours.Select(c => c.Area).OrderBy(a => a));

        // Filling holes swallows the islands: one square remains.
        var filled = Assert.Single(TraceAndCheck(slice, w, h, fillHoles: true));
        Assert.Equal(99.0, filled.Area);
        Assert.Equal(4, filled.VertexCount);
    }

    [SkippableFact]
    public void DiagonalNeighboursAreOneRegionThroughTheSharedCorner()
    {
        var slice = Parse(out var w, out var h,
            "....",
            ".#..",
            "..#.",
            "....");
        var c = Assert.Single(TraceAndCheck(slice, w, h, fillHoles: false));
        Assert.False(c.IsHole);
        Assert.Equal(8, c.VertexCount);
        Assert.Equal(2.0, c.Area);

        // The shared corner (2, 2) is visited twice.
        Assert.Equal(2, Vertices(c).Count(v => v == (2, 2)));
        Assert.Equal([(1, 1), (2, 1), (2, 2), (3, 2), (3, 3), (2, 3), (2, 2), (1, 2)], Vertices(c));
    }

    [SkippableFact]
    public void AntiDiagonalNeighboursAreOneRegion()
    {
        var slice = Parse(out var w, out var h,
            "....",
            "..#.",
            ".#..",
            "....");
        var c = Assert.Single(TraceAndCheck(slice, w, h, fillHoles: false));
        Assert.Equal(8, c.VertexCount);
        Assert.Equal(2, Vertices(c).Count(v => v == (2, 2)));
    }

    [SkippableFact]
    public void DiagonallyTouchingHolesStaySeparate()
    {
        // Background is 4-connected: the two hole pixels touching at a corner are two holes.
        var slice = Parse(out var w, out var h,
            "######",
            "#.####",
            "##.###",
            "######");
        var contours = TraceAndCheck(slice, w, h, fillHoles: false);
        Assert.Equal(3, contours.Count);
        Assert.Equal(2, contours.Count(c => c.IsHole));
        Assert.All(contours.Where(c => c.IsHole), c => Assert.Equal(4, c.VertexCount));
        Assert.Single(TraceAndCheck(slice, w, h, fillHoles: true));
    }

    [SkippableFact]
    public void CheckerboardPatchIsOneRegionWithIsolatedHoles()
    {
        var slice = Parse(out var w, out var h,
            "........",
            ".#.#.#..",
            "..#.#.#.",
            ".#.#.#..",
            "..#.#.#.",
            ".#.#.#..",
            "........");
        var contours = TraceAndCheck(slice, w, h, fillHoles: false);
        Assert.Single(contours, c => !c.IsHole);

        // Background pixels surrounded on all four sides by foreground are single-pixel holes.
        var holes = contours.Count(c => c.IsHole);
        Assert.Equal(CountHoles(Binary(slice, 1), w, h), holes);
        Assert.True(holes > 0);
        Assert.All(contours.Where(c => c.IsHole), c => Assert.Equal(1.0, c.Area));
        TraceAndCheck(slice, w, h, fillHoles: true);
    }

    [SkippableFact]
    public void FullCheckerboardImage()
    {
        const int n = 9;
        var slice = new byte[n * n];
        for (var y = 0; y < n; y++)
        {
            for (var x = 0; x < n; x++)
            {
                slice[y * n + x] = (byte)((x + y) % 2 == 0 ? 1 : 0);
            }
        }

        TraceBothWays(slice, n, n);
        // Traced as the structure (label 0), the zeros are 8-connected too and form one region.
        var zeros = ContourTracer.Trace(slice, n, n, 0, fillHoles: false);
        AssertTraceMatches(slice, n, n, 0, fillHoles: false, zeros);
        Assert.Single(zeros, c => !c.IsHole);
    }

    [SkippableFact]
    public void ThinLines()
    {
        var horizontal = Parse(out var w, out var h,
            "........",
            ".######.",
            "........");
        var c = Assert.Single(TraceAndCheck(horizontal, w, h, fillHoles: false));
        Assert.Equal(4, c.VertexCount);
        Assert.Equal(6.0, c.Area);

        var vertical = Parse(out w, out h,
            "...",
            ".#.",
            ".#.",
            ".#.",
            ".#.",
            "...");
        c = Assert.Single(TraceAndCheck(vertical, w, h, fillHoles: false));
        Assert.Equal(4, c.VertexCount);

        var diagonal = Parse(out w, out h,
            "#.....",
            ".#....",
            "..#...",
            "...#..",
            "....#.",
            ".....#");
        c = Assert.Single(TraceAndCheck(diagonal, w, h, fillHoles: false));
        // Six pixels chained through corners: each contributes its 4 corners, shared corners appearing twice.
        Assert.Equal(4 * 6, c.VertexCount);
        TraceAndCheck(diagonal, w, h, fillHoles: true);

        var lShape = Parse(out w, out h,
            ".....",
            ".#...",
            ".#...",
            ".###.",
            ".....");
        c = Assert.Single(TraceAndCheck(lShape, w, h, fillHoles: false));
        Assert.Equal(6, c.VertexCount);
    }

    [SkippableFact]
    public void ClosedLoopOfThinLineEnclosesAHole()
    {
        var slice = Parse(out var w, out var h,
            ".......",
            "...#...",
            "..#.#..",
            ".#...#.",
            "..#.#..",
            "...#...",
            ".......");
        var contours = TraceAndCheck(slice, w, h, fillHoles: false);
        Assert.Single(contours, c => !c.IsHole);
        var hole = Assert.Single(contours, c => c.IsHole);
        Assert.Equal(5.0, hole.Area);
        var filled = Assert.Single(TraceAndCheck(slice, w, h, fillHoles: true));
        Assert.Equal(13.0, filled.Area);
    }

    [SkippableFact]
    public void ShapesTouchingTheImageBorder()
    {
        var full = Enumerable.Repeat((byte)1, 5 * 4).ToArray();
        var c = Assert.Single(TraceAndCheck(full, 5, 4, fillHoles: false));
        Assert.Equal([(0, 0), (5, 0), (5, 4), (0, 4)], Vertices(c));
        Assert.Equal([-0.5, -0.5, 4.5, -0.5, 4.5, 3.5, -0.5, 3.5], c.ToPixelCoordinates());

        // A frame around the image edge with a hole; and a notch open to the border, which is not a hole.
        var frame = Parse(out var w, out var h,
            "######",
            "#....#",
            "#....#",
            "######");
        var contours = TraceAndCheck(frame, w, h, fillHoles: false);
        Assert.Equal(2, contours.Count);
        Assert.Single(TraceAndCheck(frame, w, h, fillHoles: true));

        var notch = Parse(out w, out h,
            "######",
            "#....#",
            "#....#",
            "###.##");
        contours = TraceAndCheck(notch, w, h, fillHoles: true);
        var only = Assert.Single(contours);
        Assert.Equal(15.0, only.Area);

        var corners = Parse(out w, out h,
            "#...#",
            ".....",
            "..#..",
            ".....",
            "#...#");
        contours = TraceAndCheck(corners, w, h, fillHoles: false);
        Assert.Equal(5, contours.Count);
        Assert.Contains(contours, k => Vertices(k).SequenceEqual([(4, 4), (5, 4), (5, 5), (4, 5)]));

        var singleRow = Parse(out w, out h, "##.#.##");
        TraceBothWays(singleRow, w, h);
        var singleColumn = Parse(out w, out h, "#", "#", ".", "#");
        TraceBothWays(singleColumn, w, h);
        TraceBothWays([1], 1, 1);
    }

    [SkippableFact]
    public void TracesOnlyTheRequestedLabel()
    {
        var slice = Parse(out var w, out var h,
            "........",
            ".1112222",
            ".1.12..2",
            ".1112222",
            "..333...",
            "........");
        for (byte label = 1; label <= 3; label++)
        {
            TraceBothWays(slice, w, h, label);
        }

        Assert.Equal(2, ContourTracer.Trace(slice, w, h, 1, fillHoles: false).Count);
        Assert.Single(ContourTracer.Trace(slice, w, h, 2, fillHoles: true));
        Assert.Empty(ContourTracer.Trace(slice, w, h, 4, fillHoles: false));
    }

    [SkippableTheory]
    [InlineData(0.05)]
    [InlineData(0.2)]
    [InlineData(0.35)]
    [InlineData(0.5)]
    [InlineData(0.65)]
    [InlineData(0.8)]
    [InlineData(0.95)]
    public void RandomNoiseMasksRoundTrip(double density)
    {
        var random = new Random(1234 + (int)(density * 1000));
        const int w = 64, h = 64;
        for (var iteration = 0; iteration < 40; iteration++)
        {
            var mask = RandomNoise(random, w, h, density);
            TraceBothWays(mask, w, h);
        }
    }

    [SkippableTheory]
    [InlineData(0.3, 1)]
    [InlineData(0.45, 2)]
    [InlineData(0.5, 3)]
    [InlineData(0.55, 2)]
    [InlineData(0.7, 1)]
    public void RandomBlobMasksRoundTrip(double density, int passes)
    {
        var random = new Random(98765 + passes * 31 + (int)(density * 100));
        const int w = 64, h = 64;
        for (var iteration = 0; iteration < 40; iteration++)
        {
            var mask = RandomBlobs(random, w, h, density, passes);
            TraceBothWays(mask, w, h);
        }
    }

    [SkippableFact]
    public void RandomNonSquareMasksRoundTrip()
    {
        var random = new Random(4242);
        for (var iteration = 0; iteration < 100; iteration++)
        {
            int w = random.Next(1, 40), h = random.Next(1, 40);
            var mask = RandomNoise(random, w, h, random.NextDouble());
            TraceBothWays(mask, w, h);
        }
    }

    [SkippableTheory]
    [InlineData(false)]
    [InlineData(true)]
    public void TraceAllMatchesPerLabelTracing(bool fillHoles)
    {
        var random = new Random(fillHoles ? 7 : 8);
        const int w = 48, h = 40, labels = 5;
        for (var iteration = 0; iteration < 30; iteration++)
        {
            var slice = new byte[w * h];
            for (var i = 0; i < slice.Length; i++)
            {
                // Mostly background, with labels 1..labels and some values above the requested range.
                var r = random.Next(12);
                slice[i] = r < labels + 2 ? (byte)r : (byte)0;
            }

            var all = ContourTracer.TraceAll(slice, w, h, labels, fillHoles);
            Assert.Equal(labels + 1, all.Length);
            Assert.Empty(all[0]);
            for (byte label = 1; label <= labels; label++)
            {
                var single = ContourTracer.Trace(slice, w, h, label, fillHoles);
                Assert.Equal(single.Count, all[label].Count);
                for (var k = 0; k < single.Count; k++)
                {
                    Assert.Equal(single[k].Label, all[label][k].Label);
                    Assert.True(single[k].Corners.SequenceEqual(all[label][k].Corners));
                }

                AssertTraceMatches(slice, w, h, label, fillHoles, all[label]);
            }
        }
    }

    [SkippableFact]
    public void TraceAllWithEveryByteValueAsALabel()
    {
        var random = new Random(255);
        const int w = 70, h = 33;
        var slice = new byte[w * h];
        for (var i = 0; i < slice.Length; i++)
        {
            slice[i] = (byte)(random.Next(4) == 0 ? random.Next(256) : (i / 7) % 256);
        }

        foreach (var fill in new[] { false, true })
        {
            var all = ContourTracer.TraceAll(slice, w, h, 255, fill);
            Assert.Equal(256, all.Length);
            Assert.Empty(all[0]);
            for (var label = 1; label <= 255; label++)
            {
                AssertTraceMatches(slice, w, h, (byte)label, fill, all[label]);
            }
        }
    }

    [SkippableFact]
    public void TraceAllOnLargeSliceWithSeveralStructures()
    {
        // A 512×512 slice with nested and adjacent structures: correctness at clinical size (no timing).
        const int w = 512, h = 512;
        var slice = new byte[w * h];
        var random = new Random(11);
        for (var y = 0; y < h; y++)
        {
            for (var x = 0; x < w; x++)
            {
                var d1 = Math.Sqrt((x - 200.0) * (x - 200.0) + (y - 260.0) * (y - 260.0));
                var d2 = Math.Sqrt((x - 330.0) * (x - 330.0) + (y - 250.0) * (y - 250.0));
                byte v = 0;
                if (d1 < 120 && d1 > 40) v = 1;
                if (d1 < 20) v = 1;
                if (d2 < 60) v = 2;
                if (x > 50 && x < 470 && y > 420 && y < 440) v = 3;
                if (v == 1 && random.NextDouble() < 0.01) v = 0;
                slice[y * w + x] = v;
            }
        }

        foreach (var fill in new[] { false, true })
        {
            var all = ContourTracer.TraceAll(slice, w, h, 3, fill);
            for (byte label = 1; label <= 3; label++)
            {
                AssertTraceMatches(slice, w, h, label, fill, all[label]);
            }
        }
    }

    [SkippableFact]
    public void RejectsMismatchedSizes()
    {
        Assert.Throws<ArgumentException>(() => ContourTracer.Trace(new byte[10], 3, 3, 1, false));
        Assert.Throws<ArgumentOutOfRangeException>(() => ContourTracer.Trace(new byte[0], 0, 3, 1, false));
        Assert.Throws<ArgumentOutOfRangeException>(() => ContourTracer.TraceAll(new byte[9], 3, 3, 256, false));
    }
}
