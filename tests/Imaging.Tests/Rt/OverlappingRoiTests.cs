using InnerEye.Imaging.Dicom;
using InnerEye.Imaging.Rt;

namespace InnerEye.Imaging.Tests.Rt;

/// <summary>
/// Regions (nnU-Net's region-based models: whole tumour ⊃ tumour core ⊃ enhancing) overlap; written from one mask per
/// structure, every ROI keeps its whole extent, overlap included, as rasterising the written contours back shows.
/// </summary>
public sealed class OverlappingRoiTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "rt-overlap-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }

    [Fact]
    public void NestedRegionsAreEachWrittenWhole()
    {
        var series = SyntheticCtSeries.WriteAndLoad(RtTestData.Spec("axial"), Path.Combine(_root, "ct"));
        var v = series.Volume;
        int w = v.SizeX, h = v.SizeY, d = v.SizeZ;
        // Three nested squares centred in every slice from 1 on: half sizes 12, 8, 4.
        var masks = new[] { 12, 8, 4 }.Select(half =>
        {
            var mask = new bool[w * h * d];
            for (var z = 1; z < d; z++)
            {
                for (var y = h / 2 - half; y < h / 2 + half; y++)
                {
                    for (var x = w / 2 - half; x < w / 2 + half; x++)
                        mask[(z * h + y) * w + x] = true;
                }
            }

            return mask;
        }).ToArray();
        RtStructure[] structures = [new("WholeTumor", 255, 0, 0, "GTV", false), new("TumorCore", 0, 255, 0, "GTV", false),
            new("Enhancing", 0, 0, 255, "GTV", false)];
        var options = new RtWriteOptions("InnerEye-Orleans", "nnU-Net", "Regions:1", "", "");

        var bytes = RtStructureSetWriter.Build(masks, series, structures, options).ToBytes();
        var content = RtStructureSetReader.Read(DicomReader.Read(bytes));

        Assert.Equal(3, content.Rois.Count);
        for (var s = 0; s < 3; s++)
        {
            var raster = RtRasterizer.Rasterize(content.Rois[s], series);
            var expected = masks[s].Count(m => m);
            var agree = Enumerable.Range(0, raster.Length).Count(i => (raster[i] != 0) == masks[s][i]);
            Assert.Equal(expected, raster.Count(r => r != 0));
            Assert.Equal(raster.Length, agree);
        }
    }
}
