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
    [SkippableFact]
    public async Task PlastimatchAgreesWithOurRasterisationOfTheWrittenContours()
    {
        Plastimatch.Require();
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
            output.WriteLine($"{roi.Name}: plastimatch vs ours Dice {agreement:0.0000}; ours vs pipeline labels " +
                $"{Dice.Of(ours, result.Labels, (byte)roi.Number):0.0000}; vs ground truth {Dice.Of(ours, truth, (byte)roi.Number):0.000}");
            Assert.True(agreement >= 0.98, $"{roi.Name}: plastimatch and our rasterisation agree only to Dice {agreement:0.000}");
            Assert.True(ours.Any(v => v != 0), $"{roi.Name} is empty");
        }
    }

    private static readonly Dictionary<string, double> MinimumDice = new()
    {
        ["SpinalCord"] = 0.80, ["Lung_R"] = 0.90, ["Lung_L"] = 0.90, ["Heart"] = 0.90, ["Esophagus"] = 0.80,
    };

    public static TheoryData<int, bool, string> Cases => new()
    {
        { 3001, false, "" },
        { 3002, true, "" },
        { 3003, false, "0.7,0.7,4.0" },
    };

    /// <summary>
    /// The targets, scored by rasterising the written RT contours back onto the CT grid (so geometry errors
    /// count), on seeds never used in training (training 1–40, validation 1001–1005).
    /// </summary>
    [SkippableTheory]
    [MemberData(nameof(Cases))]
    [Trait("Category", "Slow")]
    public async Task DiceOfTheWrittenContoursMeetsTheTargets(int seed, bool feetFirst, string spacing)
    {
        using var dir = new TempDirectory();
        var options = new ThoraxPhantomOptions { Seed = seed, Slices = 48, FeetFirst = feetFirst };
        if (spacing.Length > 0)
        {
            var s = spacing.Split(',').Select(v => double.Parse(v, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
            options = options with { ColumnSpacing = s[0], RowSpacing = s[1], SliceSpacing = s[2] };
        }
        var (phantom, series, ctFolder) = ShippedModel.Phantom(dir, options);
        var (rt, rtPath, _) = await Segment(series, dir);

        var truth = phantom.Labels.SelectMany(slice => slice).ToArray();
        var dice = new Dictionary<string, double>();
        foreach (var roi in rt.Rois)
        {
            dice[roi.Name] = Dice.Of(RtRasterizer.Rasterize(roi, series), truth, (byte)roi.Number);
            output.WriteLine($"seed {seed}: {roi.Name} Dice {dice[roi.Name]:0.000}");
        }
        Assert.Equal(MinimumDice.Keys, rt.Rois.Select(r => r.Name));
        Assert.All(MinimumDice, m => Assert.True(dice[m.Key] >= m.Value, $"seed {seed}: {m.Key} Dice {dice[m.Key]:0.000} < {m.Value}"));

        if (seed == 3001)
        {
            Plastimatch.Require();
            var theirs = Plastimatch.Rasterize(rtPath, ctFolder, series, dir.Path);
            foreach (var roi in rt.Rois)
            {
                var agreement = Dice.Of(theirs[roi.Name], RtRasterizer.Rasterize(roi, series));
                output.WriteLine($"plastimatch vs ours, {roi.Name}: Dice {agreement:0.0000}");
                Assert.True(agreement >= 0.98, $"{roi.Name}: plastimatch and our rasterisation agree only to Dice {agreement:0.000}");
            }
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
