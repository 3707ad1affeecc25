using InnerEye.Imaging.Dicom;
using InnerEye.Imaging.Phantoms;
using InnerEye.Imaging.Rt;
using InnerEye.Imaging.Series;
using InnerEye.Imaging.Tests.Support;
using InnerEye.Inference.Tests.Support;
using Xunit.Abstractions;

namespace InnerEye.Inference.Tests.ShippedModels;

/// <summary>models/ThoraxCT run through the whole pipeline on a phantom seed never used in training.</summary>
public class ThoraxCtModelTests(ITestOutputHelper output)
{
    /// <summary>plastimatch, an independent rasteriser, reads the written RT as we do.</summary>
    [Fact]
    public async Task PlastimatchAgreesWithOurRasterisationOfTheWrittenContours()
    {
        if (!Plastimatch.Available()) return;
        using var dir = new TempDirectory();
        var (phantom, series, ctFolder) = ShippedModel.Phantom(dir, new ThoraxPhantomOptions { Seed = 3001, Slices = 48 });
        var (rt, rtPath, result) = await Segment(series, dir);
        Assert.Equal(["SpinalCord", "Lung_R", "Lung_L", "Heart", "Esophagus"], rt.Rois.Select(r => r.Name));

        var theirs = Plastimatch.Rasterize(rtPath, ctFolder, series, dir.Path);
        var truth = phantom.Labels.SelectMany(slice => slice).ToArray();
        foreach (var roi in rt.Rois)
        {
            var ours = RtRasterizer.Rasterize(roi, series);
            var agreement = Dice.Of(theirs[roi.Name], ours);
            output.WriteLine($"{roi.Name}: plastimatch vs ours Dice {agreement:0.0000}; ours vs pipeline labels {Dice.Of(ours, result.Labels, (byte)roi.Number):0.0000}; vs ground truth {Dice.Of(ours, truth, (byte)roi.Number):0.000}");
            Assert.True(agreement >= 0.98, $"{roi.Name}: plastimatch and our rasterisation agree only to Dice {agreement:0.000}");
            Assert.True(ours.Any(v => v != 0), $"{roi.Name} is empty");
        }
    }

    private static async Task<(RtStructureSetContent Rt, string Path, SegmentationResult Result)> Segment(LoadedSeries series, TempDirectory dir)
    {
        var model = ShippedModel.Load("ThoraxCT");
        var result = await ShippedModel.Pipeline.RunAsync(new SeriesLoadResult([series], []), model);
        var path = dir.Combine("rt.dcm");
        await using (var file = File.Create(path)) await SegmentationPipeline.WriteRtAsync(result, file, model);
        return (RtStructureSetReader.Read(DicomReader.ReadFile(path)), path, result);
    }
}
