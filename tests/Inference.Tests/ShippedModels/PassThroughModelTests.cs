using InnerEye.Imaging.Dicom;
using InnerEye.Imaging.Phantoms;
using InnerEye.Imaging.Rt;
using InnerEye.Imaging.Series;
using InnerEye.Imaging.Tests.Support;
using InnerEye.Inference.Tests.Support;

namespace InnerEye.Inference.Tests.ShippedModels;

/// <summary>
/// models/PassThroughModel: an ONNX graph that ignores pixel values and draws nested squares centred in every slice —
/// a filled square of half-side 3 px, then 3-px rings at half-sides 6, 9, 12 and 15 — run through the whole pipeline.
/// </summary>
public class PassThroughModelTests
{
    private static readonly string[] Names = ["SpinalCord", "Lung_R", "Lung_L", "Heart", "Esophagus"];

    [SkippableTheory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task EverySliceHasTheFiveNestedSquaresAtTheGeometrysCentre(bool feetFirst)
    {
        using var dir = new TempDirectory();
        var (_, series, _) = ShippedModel.Phantom(dir, new ThoraxPhantomOptions { Seed = 5, Rows = 96, Columns = 80, Slices = 7,
            FeetFirst = feetFirst });
        var model = ShippedModel.Load("PassThroughModel");
        var input = new SeriesLoadResult([series], []);
        var result = await ShippedModel.Pipeline.RunAsync(input, model);
        using var stream = new MemoryStream();
        var bytes = await SegmentationPipeline.WriteRtAsync(result, stream, model, "PassThroughModel:1729");

        var file = DicomReader.Read(bytes);
        Assert.Equal("Default_Manufacturer", file.Dataset.GetString(DicomTags.Manufacturer));
        Assert.Equal("PassThroughModel:1729", file.Dataset.GetString(DicomTags.SoftwareVersions));
        var rt = RtStructureSetReader.Read(file);
        Assert.Equal(Names, rt.Rois.Select(r => r.Name));
        Assert.Equal([1, 2, 3, 4, 5], rt.Rois.Select(r => r.Number));
        Assert.All(rt.Rois, r => Assert.Equal("ORGAN", r.InterpretedType));
        Assert.Equal("^Default Interpreter", file.Dataset.Items(DicomTags.RTROIObservationsSequence)[0].GetString(DicomTags.ROIInterpreter));
        Assert.Equal("PassThroughModel", file.Dataset.GetString(DicomTags.StructureSetLabel));
        Assert.Equal(model.DisplayName, file.Dataset.GetString(DicomTags.StructureSetName));
        Assert.All(file.Dataset.Items(DicomTags.StructureSetROISequence),
            r => Assert.Equal("PassThroughModel:1729", r.GetString(DicomTags.ROIGenerationDescription)));

        var v = series.Volume;
        int cx = v.SizeX / 2, cy = v.SizeY / 2;
        for (var c = 1; c <= 5; c++)
        {
            var roi = rt.Rois[c - 1];
            Assert.Equal(v.SizeZ, roi.Contours.Count);
            var mask = RtRasterizer.Rasterize(roi, series);
            for (var z = 0; z < v.SizeZ; z++)
            {
                // One polygon per slice: the square, or the ring with its hole joined in; its corners are the squares'.
                var contour = Assert.Single(roi.Contours, k => k.ReferencedSopInstanceUid == series.Slices[z].SopInstanceUid);
                Assert.True(HasCorners(Square(v, cx, cy, 3 * c, z), contour.Points), $"ROI {c} slice {z}: outer square");
                if (c > 1) Assert.True(HasCorners(Square(v, cx, cy, 3 * (c - 1), z), contour.Points), $"ROI {c} slice {z}: inner square");
                for (var y = 0; y < v.SizeY; y++)
                {
                    for (var x = 0; x < v.SizeX; x++)
                    {
                        var ring = Math.Max(Math.Max(x - cx, cx - x - 1), Math.Max(y - cy, cy - y - 1)) / 3 + 1;
                        Assert.Equal(ring == c ? 1 : 0, mask[z * v.SliceLength + y * v.SizeX + x]);
                    }
                }
            }
        }
    }

    [SkippableFact]
    public async Task PlastimatchRasterisesTheRtLikeWeDo()
    {
        Plastimatch.Require();
        using var dir = new TempDirectory();
        var (_, series, ctFolder) = ShippedModel.Phantom(dir, new ThoraxPhantomOptions { Seed = 8, Rows = 128, Columns = 112, Slices = 5 });
        var model = ShippedModel.Load("PassThroughModel");
        var result = await ShippedModel.Pipeline.RunAsync(new SeriesLoadResult([series], []), model);
        var rtPath = dir.Combine("rt.dcm");
        await using (var file = File.Create(rtPath)) await SegmentationPipeline.WriteRtAsync(result, file, model);

        var theirs = Plastimatch.Rasterize(rtPath, ctFolder, series, dir.Path);
        var rt = RtStructureSetReader.Read(DicomReader.ReadFile(rtPath));
        foreach (var roi in rt.Rois)
        {
            var ours = RtRasterizer.Rasterize(roi, series);
            Assert.Equal(1.0, Dice.Of(theirs[roi.Name], ours), 3);
            Assert.Equal(1.0, Dice.Of(ours, result.Labels, (byte)roi.Number), 6);
        }
    }

    /// <summary>
    /// A gantry-tilted series (slices stepping 10°, 20° or −22° from the normal, about the left-right axis) keeps its
    /// sheared grid through the pipeline: the model runs on the source voxels, and the RT contours lie in each source
    /// slice's own plane, at the squares' pixel edges as the sheared geometry places them.
    /// </summary>
    [SkippableTheory]
    [InlineData(10)]
    [InlineData(20)]
    [InlineData(-22)]
    public async Task OnATiltedSeriesTheSquaresLandWhereTheShearedGeometrySays(double tilt)
    {
        TiltedSeries.RequireTools();
        using var dir = new TempDirectory();
        var tilted = TiltedSeries.Make(dir, new ThoraxPhantomOptions { Seed = 9, Rows = 80, Columns = 72, Slices = 6 }, tilt);
        var series = Assert.Single(VolumeLoader.Load(tilted.CtFolder).ThrowIfInvalid().Channels);
        var v = series.Volume;
        Assert.Equal(Math.Abs(tilt), v.TiltDegrees, 4);
        var model = ShippedModel.Load("PassThroughModel");
        var result = await ShippedModel.Pipeline.RunAsync(new SeriesLoadResult([series], []), model);
        var rtPath = dir.Combine("rt.dcm");
        await using (var file = File.Create(rtPath)) await SegmentationPipeline.WriteRtAsync(result, file, model);
        var rt = RtStructureSetReader.Read(DicomReader.ReadFile(rtPath));

        var normal = v.Normal;
        int cx = v.SizeX / 2, cy = v.SizeY / 2;
        for (var c = 1; c <= 5; c++)
        {
            var roi = rt.Rois[c - 1];
            Assert.Equal(v.SizeZ, roi.Contours.Count);
            for (var z = 0; z < v.SizeZ; z++)
            {
                var slice = series.Slices[z];
                var contour = Assert.Single(roi.Contours, k => k.ReferencedSopInstanceUid == slice.SopInstanceUid);
                Assert.True(HasCorners(Square(v, cx, cy, 3 * c, z), contour.Points), $"ROI {c} slice {z}: outer square");
                if (c > 1) Assert.True(HasCorners(Square(v, cx, cy, 3 * (c - 1), z), contour.Points), $"ROI {c} slice {z}: inner square");
                for (var p = 0; p < contour.Points.Length; p += 3)
                {
                    double px = contour.Points[p], py = contour.Points[p + 1], pz = contour.Points[p + 2];
                    // In the referenced slice's plane (its position, its normal) ...
                    var offPlane = (px - slice.Position[0]) * normal[0] + (py - slice.Position[1]) * normal[1] + (pz - slice.Position[2]) * normal[2];
                    Assert.True(Math.Abs(offPlane) <= 1e-3, $"ROI {c} slice {z}: point {p / 3} is {offPlane} mm off its slice's plane");
                    // ... and, mapped back through the sheared geometry, on slice z at pixel edges of the squares.
                    var (i, j, k) = v.ToVoxel(px, py, pz);
                    Assert.True(Math.Abs(k - z) <= 1e-3, $"ROI {c} slice {z}: point {p / 3} maps to k = {k}");
                    Assert.True(Math.Abs(i + 0.5 - Math.Round(i + 0.5)) <= 2e-3 && Math.Abs(j + 0.5 - Math.Round(j + 0.5)) <= 2e-3,
                        $"ROI {c} slice {z}: point {p / 3} maps to ({i}, {j}), not a pixel corner");
                    var ring = Math.Max(Math.Abs(i - (cx - 0.5)), Math.Abs(j - (cy - 0.5)));
                    Assert.True(Math.Abs(ring - 3 * c) <= 2e-3 || Math.Abs(ring - 3 * (c - 1)) <= 2e-3
                        || (c > 1 && ring > 3 * (c - 1) && ring < 3 * c),
                        $"ROI {c} slice {z}: point {p / 3} at ({i}, {j}) is not on ring {c}");
                }
            }
            var mask = RtRasterizer.Rasterize(roi, series);
            for (var z = 0; z < v.SizeZ; z++)
            {
                for (var y = 0; y < v.SizeY; y++)
                {
                    for (var x = 0; x < v.SizeX; x++)
                    {
                        var ring = Math.Max(Math.Max(x - cx, cx - x - 1), Math.Max(y - cy, cy - y - 1)) / 3 + 1;
                        Assert.Equal(ring == c ? 1 : 0, mask[z * v.SliceLength + y * v.SizeX + x]);
                    }
                }
            }
        }

        // plastimatch reads the tilted CT onto an orthogonal grid (first slice's origin, the normal gap as slice
        // spacing, the in-plane shift ignored) and rasterises each contour there in patient coordinates. Its masks are
        // sampled back (nearest neighbour, through their sform) at this series' true, sheared voxel centres, so the
        // comparison is made in patient coordinates and does not depend on plastimatch's own grid.
        Plastimatch.Require();
        var theirs = Plastimatch.Rasterize(rtPath, tilted.CtFolder, series, dir.Path);
        foreach (var roi in rt.Rois)
        {
            var ours = RtRasterizer.Rasterize(roi, series);
            Assert.Equal(1.0, Dice.Of(theirs[roi.Name], ours), 3);
            Assert.Equal(1.0, Dice.Of(ours, result.Labels, (byte)roi.Number), 6);
        }
    }

    /// <summary>The corners of the square x, y ∈ [c − h, c + h − 1] along pixel edges, in patient coordinates.</summary>
    private static double[] Square(ImageVolume v, int cx, int cy, int h, int z)
    {
        double lo = -h - 0.5, hi = h - 0.5;
        return [.. new[] { (lo, lo), (hi, lo), (hi, hi), (lo, hi) }.SelectMany(p =>
        {
            var (x, y, zz) = v.ToPatient(cx + p.Item1, cy + p.Item2, z);
            return new[] { x, y, zz };
        })];
    }

    private static bool HasCorners(double[] expected, double[] actual)
    {
        for (var e = 0; e < expected.Length; e += 3)
        {
            var found = false;
            for (var a = 0; a < actual.Length && !found; a += 3)
                found = Math.Abs(actual[a] - expected[e]) < 2e-3 && Math.Abs(actual[a + 1] - expected[e + 1]) < 2e-3
                    && Math.Abs(actual[a + 2] - expected[e + 2]) < 2e-3;
            if (!found) return false;
        }
        return true;
    }
}
