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
        var (_, series, _) = ShippedModel.Phantom(dir, new ThoraxPhantomOptions { Seed = 5, Rows = 96, Columns = 80, Slices = 7, FeetFirst = feetFirst });
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
        Assert.All(file.Dataset.Items(DicomTags.StructureSetROISequence), r => Assert.Equal("PassThroughModel:1729", r.GetString(DicomTags.ROIGenerationDescription)));

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
                for (var x = 0; x < v.SizeX; x++)
                {
                    var ring = Math.Max(Math.Max(x - cx, cx - x - 1), Math.Max(y - cy, cy - y - 1)) / 3 + 1;
                    Assert.Equal(ring == c ? 1 : 0, mask[z * v.SliceLength + y * v.SizeX + x]);
                }
            }
        }
    }

    [SkippableFact]
    public async Task PlastimatchRasterisesTheRtLikeWeDo()
    {
        if (!Plastimatch.Available()) return;
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
                found = Math.Abs(actual[a] - expected[e]) < 2e-3 && Math.Abs(actual[a + 1] - expected[e + 1]) < 2e-3 && Math.Abs(actual[a + 2] - expected[e + 2]) < 2e-3;
            if (!found) return false;
        }
        return true;
    }
}
