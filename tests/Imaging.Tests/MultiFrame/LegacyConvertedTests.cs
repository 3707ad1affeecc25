using System.IO.Compression;
using InnerEye.Imaging.Dicom;
using InnerEye.Imaging.Phantoms;
using InnerEye.Imaging.Rt;
using InnerEye.Imaging.Series;
using InnerEye.Imaging.Tests.Support;
using InnerEye.Inference;
using Xunit.Abstractions;

namespace InnerEye.Imaging.Tests.MultiFrame;

/// <summary>
/// Single-frame series converted by PixelMed to Legacy Converted Enhanced CT/MR images must load to exactly the
/// volume of their source, segment to the same labels, and be referenced frame by frame in the RT Structure Set.
/// </summary>
public class LegacyConvertedTests(ITestOutputHelper output)
{
    public const string MrImageStorage = "1.2.840.10008.5.1.4.1.1.4";

    /// <summary>A single-frame source series in <paramref name="folder"/>/ct: pydicom's synthetic CT or our phantom.</summary>
    private static string Source(TempDirectory dir, string kind)
    {
        var folder = dir.NewPath("source");
        switch (kind)
        {
            case "pydicom":
            case "pydicom --oblique":
            case "pydicom --feet-first":
            case "pydicom --oblique --feet-first":
                SyntheticSeries.Make(folder, [.. kind.Split(' ').Skip(1), "--slices", "9", "--rows", "40", "--cols", "36"]);
                break;
            case "phantom":
            case "phantom feet-first":
                PhantomWriter.Write(ThoraxPhantom.Generate(Options(kind.EndsWith("feet-first"))), folder);
                break;
            case "phantom MR":
            {
                var phantom = ThoraxPhantom.Generate(Options(false));
                Directory.CreateDirectory(Path.Combine(folder, "ct"));
                for (var k = 0; k < phantom.Options.Slices; k++)
                {
                    var ds = PhantomWriter.BuildSlice(phantom, k)
                        .Set(DicomTags.Modality, DicomVR.CS, "MR")
                        .Set(DicomTags.SOPClassUID, DicomVR.UI, MrImageStorage)
                        .Set(DicomTags.SeriesDescription, DicomVR.LO, "MR series");
                    File.WriteAllBytes(Path.Combine(folder, "ct", $"{k}"), DicomWriter.WriteFile(ds, TransferSyntax.ExplicitVRLittleEndian));
                }
                break;
            }
            default: throw new ArgumentException(kind);
        }
        return Path.Combine(folder, "ct");
    }

    private static ThoraxPhantomOptions Options(bool feetFirst) =>
        new() { Seed = 77, Rows = 48, Columns = 40, Slices = 7, ColumnSpacing = 1.5, RowSpacing = 1.5, SliceSpacing = 3, FeetFirst = feetFirst };

    /// <summary>The test needs pixelmed, and pydicom for the pydicom-made sources: Skipped without them, failed with CI=true.</summary>
    private static void RequireTools(string kind)
    {
        Pixelmed.Require();
        if (kind.StartsWith("pydicom", StringComparison.Ordinal)) SyntheticSeries.RequireTools();
    }

    /// <summary>The source converted to multi-frame, in <c>ct/</c> of a new upload folder.</summary>
    private static string Convert(TempDirectory dir, string source)
    {
        var upload = dir.NewPath("multiframe");
        var files = Pixelmed.Convert(source, Path.Combine(upload, "ct"));
        Assert.Single(files);
        return Path.Combine(upload, "ct");
    }

    public static void AssertSameVolume(LoadedSeries expected, LoadedSeries actual)
    {
        var (e, a) = (expected.Volume, actual.Volume);
        Assert.Equal((e.SizeX, e.SizeY, e.SizeZ), (a.SizeX, a.SizeY, a.SizeZ));
        Assert.Equal(e.ToArray(), a.ToArray());
        for (var i = 0; i < 9; i++) Assert.Equal(e.Direction[i], a.Direction[i], 9);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(e.Origin[i], a.Origin[i], 6);
            Assert.Equal(e.Spacing[i], a.Spacing[i], 6);
        }
        Assert.Equal(expected.FrameOfReferenceUid, actual.FrameOfReferenceUid);
        Assert.Equal(expected.StudyInstanceUid, actual.StudyInstanceUid);
        Assert.Equal(expected.Modality, actual.Modality);
        for (var k = 0; k < e.SizeZ; k++)
        {
            for (var i = 0; i < 3; i++)
                Assert.Equal(expected.Slices[k].Position[i], actual.Slices[k].Position[i], 6);
        }
    }

    [SkippableTheory]
    [InlineData("pydicom")]
    [InlineData("pydicom --oblique")]
    [InlineData("pydicom --feet-first")]
    [InlineData("pydicom --oblique --feet-first")]
    [InlineData("phantom")]
    [InlineData("phantom feet-first")]
    [InlineData("phantom MR")]
    public void LoadsToExactlyTheVolumeOfItsSingleFrameSource(string kind)
    {
        RequireTools(kind);
        using var dir = new TempDirectory();
        var source = Source(dir, kind);
        var single = Assert.Single(VolumeLoader.Load(source).ThrowIfInvalid().Channels);
        var multi = Assert.Single(VolumeLoader.Load(Convert(dir, source)).ThrowIfInvalid().Channels);

        AssertSameVolume(single, multi);
        Assert.Single(multi.Slices.Select(s => s.SopInstanceUid).Distinct());
        Assert.Equal(kind == "phantom MR" ? "1.2.840.10008.5.1.4.1.1.4.4" : "1.2.840.10008.5.1.4.1.1.2.2", multi.Slices[0].SopClassUid);
        Assert.Equal(Enumerable.Range(1, multi.Slices.Count), multi.Slices.Select(s => s.FrameNumber!.Value).Order());
        Assert.All(single.Slices, s => Assert.Null(s.FrameNumber));
    }

    [SkippableFact]
    public void RleFramesDecodeToTheSameVolume()
    {
        RequireTools("phantom");
        ExternalProcess.Require("dcmcrle");
        using var dir = new TempDirectory();
        var source = Source(dir, "phantom");
        var native = Convert(dir, source);
        var rle = dir.NewPath("rle");
        Directory.CreateDirectory(Path.Combine(rle, "ct"));
        ExternalProcess.Run("dcmcrle", [Directory.GetFiles(native)[0], Path.Combine(rle, "ct", "mf")]);
        var loaded = Assert.Single(VolumeLoader.Load(rle).ThrowIfInvalid().Channels);
        Assert.Equal(TransferSyntax.RleLossless.Uid, Assert.Single(loaded.TransferSyntaxes));
        AssertSameVolume(Assert.Single(VolumeLoader.Load(source).ThrowIfInvalid().Channels), loaded);
    }

    [SkippableFact]
    public void AGatewayZipOfTheConversionLoadsLikeTheFolder()
    {
        RequireTools("phantom");
        using var dir = new TempDirectory();
        var source = Source(dir, "phantom");
        var converted = Convert(dir, source);
        var zip = dir.Combine("scan.zip");
        using (var archive = ZipFile.Open(zip, ZipArchiveMode.Create))
            archive.CreateEntryFromFile(Directory.GetFiles(converted)[0], "ct/0");
        AssertSameVolume(Assert.Single(VolumeLoader.Load(source).ThrowIfInvalid().Channels),
            Assert.Single(VolumeLoader.Load(zip).ThrowIfInvalid().Channels));
    }

    [SkippableFact]
    public void TwoMultiFrameImagesOfOneSeriesLoadToTheWholeSeries()
    {
        RequireTools("phantom");
        SyntheticSeries.RequireTools();
        using var dir = new TempDirectory();
        var source = Source(dir, "phantom");
        var upload = dir.NewPath("halves");
        var names = Directory.GetFiles(source).Order().ToList();
        for (var half = 0; half < 2; half++)
        {
            var part = dir.NewPath($"half{half}");
            Directory.CreateDirectory(part);
            foreach (var f in names.Where((_, i) => i % 2 == half)) File.Copy(f, Path.Combine(part, Path.GetFileName(f)));
            var converted = Pixelmed.Convert(part, dir.NewPath($"converted{half}"));
            File.Copy(Assert.Single(converted), Path.Combine(Directory.CreateDirectory(Path.Combine(upload, "ct")).FullName, $"mf{half}"));
        }
        // PixelMed gives each conversion a series of its own; the halves are one series again.
        SyntheticSeries.Edit(Directory.GetFiles(Path.Combine(upload, "ct")), "SeriesInstanceUID=1.2.826.0.1.3680043.10.2.1");
        var loaded = Assert.Single(VolumeLoader.Load(upload).ThrowIfInvalid().Channels);
        AssertSameVolume(Assert.Single(VolumeLoader.Load(source).ThrowIfInvalid().Channels), loaded);
        Assert.Equal(2, loaded.Slices.Select(s => s.SopInstanceUid).Distinct().Count());
    }

    [SkippableFact]
    public void SingleFrameSlicesBesideTheirConversionAreAMixedLayout()
    {
        RequireTools("phantom");
        SyntheticSeries.RequireTools();
        using var dir = new TempDirectory();
        var source = Source(dir, "phantom");
        var converted = Directory.GetFiles(Convert(dir, source))[0];
        var series = DicomReader.ReadFile(converted).Dataset.GetString(DicomTags.SeriesInstanceUID)!;
        var upload = dir.NewPath("mixed");
        Directory.CreateDirectory(Path.Combine(upload, "ct"));
        File.Copy(converted, Path.Combine(upload, "ct", "mf"));
        File.Copy(Directory.GetFiles(source)[0], Path.Combine(upload, "ct", "single"));
        SyntheticSeries.Edit([Path.Combine(upload, "ct", "single")], $"SeriesInstanceUID={series}");
        var result = VolumeLoader.Load(upload);
        Assert.Empty(result.Channels);
        Assert.Contains(result.Problems, p => p.Code == "MixedFrameLayout");
    }

    [SkippableTheory]
    [InlineData("phantom")]
    [InlineData("phantom feet-first")]
    public async Task SegmentsToTheSameLabelsAndTheRtReferencesEachFrame(string kind)
    {
        RequireTools(kind);
        using var dir = new TempDirectory();
        var source = Source(dir, kind);
        var single = Assert.Single(VolumeLoader.Load(source).ThrowIfInvalid().Channels);
        var multi = Assert.Single(VolumeLoader.Load(Convert(dir, source)).ThrowIfInvalid().Channels);

        using var sessions = new ModelSessionCache(new InferenceOptions { Device = InferenceDevice.Cpu });
        var model = ModelConfigLoader.Load(Path.Combine(ExternalProcess.RepositoryRoot, "models", "PassThroughModel.json"), sessions);
        var pipeline = new SegmentationPipeline(sessions);
        var fromSingle = await pipeline.RunAsync(new SeriesLoadResult([single], []), model);
        var fromMulti = await pipeline.RunAsync(new SeriesLoadResult([multi], []), model);
        Assert.Equal(fromSingle.Labels, fromMulti.Labels);
        Assert.Contains(fromMulti.Labels, l => l != 0);

        var rtPath = dir.Combine("rt.dcm");
        await using (var file = File.Create(rtPath)) await SegmentationPipeline.WriteRtAsync(fromMulti, file, model);
        var rt = DicomReader.ReadFile(rtPath).Dataset;
        var contourImages = rt.Items(DicomTags.ReferencedFrameOfReferenceSequence)[0].Items(DicomTags.RTReferencedStudySequence)[0]
            .Items(DicomTags.RTReferencedSeriesSequence)[0].Items(DicomTags.ContourImageSequence);
        Assert.Equal(multi.Slices.Count, contourImages.Count);
        for (var k = 0; k < contourImages.Count; k++)
        {
            Assert.Equal(multi.Slices[k].SopInstanceUid, contourImages[k].GetString(DicomTags.ReferencedSOPInstanceUID));
            Assert.Equal(multi.Slices[k].SopClassUid, contourImages[k].GetString(DicomTags.ReferencedSOPClassUID));
            Assert.Equal(multi.Slices[k].FrameNumber, contourImages[k].GetInt32(DicomTags.ReferencedFrameNumber));
        }
        var contours = rt.Items(DicomTags.ROIContourSequence).SelectMany(r => r.Items(DicomTags.ContourSequence)).ToList();
        Assert.NotEmpty(contours);
        foreach (var c in contours)
        {
            var image = Assert.Single(c.Items(DicomTags.ContourImageSequence));
            var z = c.GetDoubles(DicomTags.ContourData)!;
            var frame = image.GetInt32(DicomTags.ReferencedFrameNumber)!.Value;
            var slice = Assert.Single(multi.Slices, s => s.FrameNumber == frame);
            Assert.Equal(slice.Position[2], z[2], 3);
        }

        // The DICOM Segmentation references the multi-frame image once and each source frame by its number.
        var seg = DicomReader.Read(ResultWriters.Seg(fromMulti, model, Imaging.Seg.SegForm.Binary)).Dataset;
        var instances = seg.Items(new DicomTag(0x00081115u))[0].Items(new DicomTag(0x0008114Au));
        Assert.Equal(multi.Slices.Select(s => s.SopInstanceUid).Distinct(), instances.Select(i => i.GetString(DicomTags.ReferencedSOPInstanceUID)));
        var sources = seg.Items(new DicomTag(0x52009230u)).Select(f => f.Items(new DicomTag(0x00089124u))[0].Items(new DicomTag(0x00082112u))[0])
            .ToList();
        Assert.NotEmpty(sources);
        Assert.All(sources, source => Assert.Contains(multi.Slices, s => s.FrameNumber == source.GetInt32(DicomTags.ReferencedFrameNumber) &&
            s.SopInstanceUid == source.GetString(DicomTags.ReferencedSOPInstanceUID)));

        ExternalProcess.Require("/usr/bin/dciodvfy");
        var (_, stdout, stderr) = ExternalProcess.Run("/usr/bin/dciodvfy", [rtPath], throwOnError: false);
        var report = stdout + stderr;
        output.WriteLine(report);
        var errors = report.Split('\n').Where(l => l.StartsWith("Error", StringComparison.Ordinal)).ToList();
        Assert.True(errors.Count == 0, string.Join('\n', errors));
    }
}
