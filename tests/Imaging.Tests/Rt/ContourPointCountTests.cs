using InnerEye.Imaging.Dicom;
using InnerEye.Imaging.Rt;
using InnerEye.Imaging.Series;

namespace InnerEye.Imaging.Tests.Rt;

/// <summary>
/// ContourData holds the corners of each contour only: a rectangle is 4 points whatever its size, a ring with its hole
/// joined in 10, and no written vertex lies on a straight run — while rasterising the contours gives the exact mask.
/// </summary>
public sealed class ContourPointCountTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "rt-points-" + Guid.NewGuid().ToString("N"));

    private static readonly RtWriteOptions Options = new("Default_Manufacturer", "Default_Interpreter", "PassThroughModel:1729", "", "");

    public void Dispose()
    {
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }

    /// <summary>Label 1: a 20×14 rectangle; label 2: a ring (outer 10×10, 2 pixels wide), on every slice.</summary>
    private static byte[] Labels(ImageVolume v)
    {
        var labels = new byte[v.VoxelCount];
        for (var z = 0; z < v.SizeZ; z++)
        {
            for (var y = 2; y < 16; y++)
                for (var x = 1; x < 21; x++) labels[z * v.SliceLength + y * v.SizeX + x] = 1;
            for (var y = 18; y < 28; y++)
            {
                for (var x = 25; x < 35; x++)
                    if (x < 27 || x >= 33 || y < 20 || y >= 26) labels[z * v.SliceLength + y * v.SizeX + x] = 2;
            }
        }
        return labels;
    }

    [SkippableTheory]
    [InlineData("axial")]
    [InlineData("oblique")]
    [InlineData("feet-first")]
    public void ARectangleIsFourPointsAndARingTenAndBothRasteriseExactly(string kind)
    {
        var series = SyntheticCtSeries.WriteAndLoad(RtTestData.Spec(kind), Path.Combine(_root, kind));
        var v = series.Volume;
        var labels = Labels(v);
        RtStructure[] structures = [new("Rectangle", 255, 0, 0, "ORGAN", false), new("Ring", 0, 255, 0, "ORGAN", false)];
        var bytes = RtStructureSetWriter.Build(labels, series, structures, Options).ToBytes();
        var ds = DicomReader.Read(bytes).Dataset;
        var rois = ds.Items(DicomTags.ROIContourSequence);

        // Every boundary voxel would be 2·(20 + 14) = 68 points for the rectangle; its corners are 4.
        Assert.All(rois[0].Items(DicomTags.ContourSequence), c => Assert.Equal(4, c.GetInt32(DicomTags.NumberOfContourPoints)));
        // Outer 4 + hole 4 + the channel's end on the outer edge twice + the hole corner it leaves from, once more.
        Assert.All(rois[1].Items(DicomTags.ContourSequence), c => Assert.Equal(10, c.GetInt32(DicomTags.NumberOfContourPoints)));
        Assert.Equal(v.SizeZ, rois[0].Items(DicomTags.ContourSequence).Count);
        Assert.Equal(v.SizeZ, rois[1].Items(DicomTags.ContourSequence).Count);

        var content = RtStructureSetReader.Read(DicomReader.Read(bytes));
        for (var s = 0; s < 2; s++)
        {
            var raster = RtRasterizer.Rasterize(content.Rois[s], series);
            for (var i = 0; i < raster.Length; i++)
                Assert.True((raster[i] != 0) == (labels[i] == s + 1), $"{kind}: {structures[s].Name} differs at voxel {i}");
            foreach (var contour in content.Rois[s].Contours) AssertNoStraightRun(contour.Points, v);
        }
    }

    /// <summary>The written points, mapped back to pixel corners, turn at every vertex.</summary>
    private static void AssertNoStraightRun(double[] points, ImageVolume v)
    {
        var n = points.Length / 3;
        var corners = new (long X, long Y)[n];
        for (var p = 0; p < n; p++)
        {
            var (i, j, _) = v.ToVoxel(points[3 * p], points[3 * p + 1], points[3 * p + 2]);
            corners[p] = ((long)Math.Round(i + 0.5), (long)Math.Round(j + 0.5));
        }
        for (var k = 0; k < n; k++)
        {
            var (a, b, c) = (corners[(k + n - 1) % n], corners[k], corners[(k + 1) % n]);
            long ax = b.X - a.X, ay = b.Y - a.Y, bx = c.X - b.X, by = c.Y - b.Y;
            Assert.False(ax * by - ay * bx == 0 && ax * bx + ay * by > 0, $"point {k} lies on a straight run");
        }
    }
}
