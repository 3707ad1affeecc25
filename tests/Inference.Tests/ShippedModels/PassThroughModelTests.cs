using InnerEye.Imaging.Dicom;
using InnerEye.Imaging.Phantoms;
using InnerEye.Imaging.Rt;
using InnerEye.Imaging.Series;
using InnerEye.Imaging.Tests.Support;

namespace InnerEye.Inference.Tests.ShippedModels;

/// <summary>
/// models/PassThroughModel: an ONNX graph that ignores pixel values and draws nested squares centred in every slice —
/// a filled square of half-side 3 px, then 3-px rings at half-sides 6, 9, 12 and 15 — run through the whole pipeline.
/// </summary>
public class PassThroughModelTests
{
    private static readonly string[] Names = ["SpinalCord", "Lung_R", "Lung_L", "Heart", "Esophagus"];

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task EverySliceHasTheFiveNestedSquaresAtTheGeometrysCentre(bool feetFirst)
    {
        using var dir = new TempDirectory();
        var (_, series) = ShippedModel.Phantom(dir, new ThoraxPhantomOptions { Seed = 5, Rows = 96, Columns = 80, Slices = 7, FeetFirst = feetFirst });
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
        Assert.Contains("Default_Interpreter", file.Dataset.Items(DicomTags.RTROIObservationsSequence)[0].GetString(DicomTags.ROIInterpreter));

        var v = series.Volume;
        int cx = v.SizeX / 2, cy = v.SizeY / 2;
        for (var c = 1; c <= 5; c++)
        {
            var roi = rt.Rois[c - 1];
            Assert.Equal(v.SizeZ * (c == 1 ? 1 : 2), roi.Contours.Count);
            for (var z = 0; z < v.SizeZ; z++)
            {
                var onSlice = roi.Contours.Where(k => k.ReferencedSopInstanceUid == series.Slices[z].SopInstanceUid).ToList();
                var expected = new List<double[]> { Square(v, cx, cy, 3 * c, z) };
                if (c > 1) expected.Add(Square(v, cx, cy, 3 * (c - 1), z));
                Assert.Equal(expected.Count, onSlice.Count);
                foreach (var square in expected)
                    Assert.Contains(onSlice, k => SameCorners(square, k.Points));
            }
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

    private static bool SameCorners(double[] expected, double[] actual)
    {
        if (actual.Length != expected.Length) return false;
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
