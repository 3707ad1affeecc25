using System.IO.Compression;
using System.Text.Json;
using InnerEye.Imaging.Dicom;
using InnerEye.Imaging.Phantoms;
using InnerEye.Imaging.Series;
using InnerEye.Imaging.Tests.Support;

namespace InnerEye.Imaging.Tests.MultiFrame;

/// <summary>Enhanced multi-frame images: frames become slices through the functional groups, or are refused with a code.</summary>
public class EnhancedInputTests
{
    private static SeriesLoadResult Load(TempDirectory dir, params (string Name, byte[] Bytes)[] files)
    {
        var folder = dir.NewPath("upload");
        Directory.CreateDirectory(Path.Combine(folder, "ct"));
        foreach (var (name, bytes) in files) File.WriteAllBytes(Path.Combine(folder, "ct", name), bytes);
        return VolumeLoader.Load(folder);
    }

    private static VolumeProblem Refused(SeriesLoadResult result, string code)
    {
        Assert.Empty(result.Channels);
        return Assert.Single(result.Problems, p => p.Code == code && p.Severity == ProblemSeverity.Error);
    }

    [Fact]
    public void FramesBecomeSlicesSortedAlongTheNormalAndKeepTheirFrameNumbers()
    {
        using var dir = new TempDirectory();
        int[] order = [2, 0, 3, 1];
        var image = new EnhancedImage { Order = i => order[i] };
        var series = Assert.Single(Load(dir, ("mf", image.Write())).ThrowIfInvalid().Channels);

        var v = series.Volume;
        Assert.Equal((5, 6, 4), (v.SizeX, v.SizeY, v.SizeZ));
        Assert.Equal([0.5, 0.5, 2.5], v.Spacing);
        Assert.Equal([-1.25, -1.5, 10], v.Origin);
        for (var k = 0; k < 4; k++)
        {
            var frame = Array.IndexOf(order, k);
            var reference = series.Slices[k];
            Assert.Equal(frame + 1, reference.FrameNumber);
            Assert.Equal(image.InstanceUid, reference.SopInstanceUid);
            Assert.Equal(EnhancedImage.EnhancedCtImageStorage, reference.SopClassUid);
            Assert.Equal(10 + 2.5 * k, reference.Position[2], 9);
            Assert.Equal(EnhancedImage.Stored(frame, 2, 3) - 1024f, v.Slices[k][2 * 5 + 3]);
        }
    }

    [Fact]
    public void APerFrameRescaleOverridesTheSharedOne()
    {
        using var dir = new TempDirectory();
        var image = new EnhancedImage { PerFrameRescale = i => i == 1 ? (2, 5) : null };
        var v = Assert.Single(Load(dir, ("mf", image.Write())).ThrowIfInvalid().Channels).Volume;
        Assert.Equal(EnhancedImage.Stored(0, 0, 0) - 1024f, v.Slices[0][0]);
        Assert.Equal(EnhancedImage.Stored(1, 0, 0) * 2f + 5, v.Slices[1][0]);
        Assert.Equal(EnhancedImage.Stored(2, 0, 0) - 1024f, v.Slices[2][0]);
    }

    [Fact]
    public void AOneFrameEnhancedImageIsAOneSliceVolume()
    {
        using var dir = new TempDirectory();
        var series = Assert.Single(Load(dir, ("mf", new EnhancedImage { Frames = 1 }.Write())).ThrowIfInvalid().Channels);
        Assert.Equal(1, series.Volume.SizeZ);
        Assert.Equal(2.5, series.Volume.Spacing[2]);
        Assert.Equal(1, Assert.Single(series.Slices).FrameNumber);
    }

    [Theory]
    [InlineData(1, false)]
    [InlineData(3, true)]
    public void AFrameWithoutAPlanePositionNamesTheFunctionalGroup(int frames, bool perFrameItems)
    {
        using var dir = new TempDirectory();
        var image = new EnhancedImage { Frames = frames, PerFrameItems = perFrameItems, WritePositions = false };
        var problem = Refused(Load(dir, ("mf", image.Write())), "MissingGeometry");
        Assert.Contains("PlanePositionSequence", problem.Message);
        Assert.Contains("'ct/mf frame 1'", problem.Message);
    }

    [Fact]
    public void FramesOfOneImageAtOnePlaceAreDuplicatesThatSayWhy()
    {
        using var dir = new TempDirectory();
        var problem = Refused(Load(dir, ("mf", new EnhancedImage { Order = i => i % 2 }.Write())), "DuplicateSlicePosition");
        Assert.Contains("frames of one multi-frame image", problem.Message);
    }

    [Fact]
    public void SeveralStacksAreRefused()
    {
        using var dir = new TempDirectory();
        var image = new EnhancedImage { StackId = i => i < 2 ? "1" : "2" };
        var problem = Refused(Load(dir, ("mf", image.Write())), "MultipleStacks");
        Assert.Contains("StackID 1, 2", problem.Message);
    }

    [Theory]
    [InlineData("0", "InvalidNumberOfFrames")]
    [InlineData("many", "InvalidNumberOfFrames")]
    [InlineData("2000000000", "InconsistentFrameCount")]
    public void ANumberOfFramesThatDoesNotMatchTheHeaderIsRefused(string claimed, string code)
    {
        using var dir = new TempDirectory();
        Refused(Load(dir, ("mf", new EnhancedImage { ClaimedFrames = claimed }.Write())), code);
    }

    [Fact]
    public void AHeaderClaimingMoreFramesThanThePixelDataHoldsIsRefusedBeforeAnythingIsAllocated()
    {
        using var dir = new TempDirectory();
        // 3000 frames of 512x512 claimed (1.5 GB of pixels, 3 GB of HU); one frame's pixels present.
        var bytes = new EnhancedImage { Frames = 3000, Rows = 512, Columns = 512, PixelFrames = 1 }.Write();
        var before = GC.GetTotalAllocatedBytes(precise: true);
        var problem = Refused(Load(dir, ("mf", bytes)), "PixelDataTooShort");
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        Assert.Contains("3000 frames", problem.Message);
        Assert.True(allocated < 200L << 20, $"{allocated} bytes allocated");
    }

    [Fact]
    public void SingleAndMultiFrameImagesOfOneSeriesAreRefused()
    {
        using var dir = new TempDirectory();
        var phantom = ThoraxPhantom.Generate(new ThoraxPhantomOptions { Seed = 3, Rows = 16, Columns = 16, Slices = 2 });
        var image = new EnhancedImage();
        var single = DicomWriter.WriteFile(PhantomWriter.BuildSlice(phantom, 0).Set(DicomTags.SeriesInstanceUID, DicomVR.UI, image.SeriesUid),
            TransferSyntax.ExplicitVRLittleEndian);
        var problem = Refused(Load(dir, ("mf", image.Write()), ("single", single)), "MixedFrameLayout");
        Assert.Contains("'ct/single' is a single-frame image", problem.Message);
    }

    [Fact]
    public void SeveralMultiFrameImagesOfOneSeriesFormOneVolume()
    {
        using var dir = new TempDirectory();
        var a = new EnhancedImage { Order = i => 2 * i };
        var b = new EnhancedImage { Order = i => 2 * i + 1, InstanceUid = "1.2.826.0.1.3680043.10.1.5" };
        var series = Assert.Single(Load(dir, ("a", a.Write()), ("b", b.Write())).ThrowIfInvalid().Channels);
        Assert.Equal(8, series.Volume.SizeZ);
        Assert.Equal([a.InstanceUid, b.InstanceUid, a.InstanceUid, b.InstanceUid], series.Slices.Take(4).Select(s => s.SopInstanceUid));
        Assert.Equal([1, 1, 2, 2], series.Slices.Take(4).Select(s => s.FrameNumber ?? 0));
    }

    [SkippableTheory]
    [InlineData("rtdose.dcm", "MultiFrame")]
    [InlineData("SC_rgb_rle_2frame.dcm", "MultiFrame")]
    public void ClassicMultiFrameImagesFromThePydicomCorpusAreRefused(string name, string code)
    {
        PydicomCorpus.Require();
        using var dir = new TempDirectory();
        var problem = Refused(Load(dir, (name, File.ReadAllBytes(PydicomCorpus.PathOf(name)))), code);
        Assert.Contains("no per-frame or shared functional groups", problem.Message);
    }

    [SkippableFact]
    public void TheOneFrameSegmentationOfThePydicomCorpusIsNoImage()
    {
        // A SEG is a multi-frame object with functional groups, but of 1-bit labels: nothing to segment.
        PydicomCorpus.Require();
        using var dir = new TempDirectory();
        var result = Load(dir, ("seg", File.ReadAllBytes(PydicomCorpus.PathOf("liver_1frame.dcm"))));
        Assert.Empty(result.Channels);
        Assert.Contains(result.Problems, p => p.Code == "NotDicom" && p.Message.Contains("Unsupported pixel layout"));
        Assert.Contains(result.Problems, p => p.Code == "NoImages" && p.Severity == ProblemSeverity.Error);
    }

    private const string NibabelData = "/usr/lib/python3/dist-packages/nibabel/nicom/tests/data";

    private static byte[] Gunzip(string path)
    {
        using var input = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
        using var output = new MemoryStream();
        input.CopyTo(output);
        return output.ToArray();
    }

    [SkippableFact]
    public void ARealPhilipsEnhancedMrLoadsLikePydicomReadsItsFrames()
    {
        var path = Path.Combine(NibabelData, "philips_mprage.dcm.gz");
        ExternalProcess.Require(path); ExternalProcess.Require(ExternalProcess.Python, "pydicom");
        using var dir = new TempDirectory();
        var series = Assert.Single(Load(dir, ("mprage", Gunzip(path))).ThrowIfInvalid().Channels);
        var v = series.Volume;
        Assert.Equal((256, 256, 176), (v.SizeX, v.SizeY, v.SizeZ));
        Assert.Equal("MR", series.Modality);

        var raw = dir.Combine("frames.raw");
        var (_, stdout, _) = ExternalProcess.RunPythonTool("enhanced_frames.py", path, raw);
        using var json = JsonDocument.Parse(stdout);
        var positions = json.RootElement.GetProperty("positions").EnumerateArray()
            .Select(p => p.EnumerateArray().Select(x => x.GetDouble()).ToArray()).ToList();
        var bytes = File.ReadAllBytes(raw);
        var reference = new float[bytes.Length / 4];
        Buffer.BlockCopy(bytes, 0, reference, 0, bytes.Length);
        // Our slices run along the normal; the in-stack positions may run the other way.
        var reversed = Math.Abs(positions[0][0] - series.Slices[0].Position[0]) > 1e-3;
        for (var k = 0; k < v.SizeZ; k++)
        {
            var j = reversed ? v.SizeZ - 1 - k : k;
            Assert.Equal(positions[j], series.Slices[k].Position);
            Assert.True(reference.AsSpan(j * v.SliceLength, v.SliceLength).SequenceEqual(v.Slices[k]), $"slice {k}");
        }
        Assert.Equal(176, series.Slices.Select(s => s.FrameNumber).Distinct().Count());
    }

    [SkippableTheory]
    [InlineData("siemens_dwi_1000.dcm.gz", false)]
    [InlineData("siemens_dwi_0.dcm.gz", true)]
    public void SiemensMosaicImagesAreRefusedWithHowToConvertThem(string name, bool csaOnly)
    {
        var path = Path.Combine(NibabelData, name);
        ExternalProcess.Require(path);
        using var dir = new TempDirectory();
        var file = dir.Combine("mosaic.dcm");
        File.WriteAllBytes(file, Gunzip(path));
        if (csaOnly)
        {
            // Without MOSAIC in the ImageType, the CSA header's NumberOfImagesInMosaic still tells.
            SyntheticSeries.RequireTools();
            SyntheticSeries.Edit([file], @"ImageType=ORIGINAL\PRIMARY\DIFFUSION\NONE\ND");
            Assert.DoesNotContain("MOSAIC", DicomReader.ReadFile(file).Dataset.GetString(DicomTags.ImageType));
        }
        var problem = Refused(Load(dir, ("mosaic", File.ReadAllBytes(file))), "Mosaic");
        Assert.Contains("dcm2niix", problem.Message);
        Assert.Contains("unmosaic", problem.Message);
        if (csaOnly) Assert.Matches(@"\d+ slices tiled", problem.Message);
    }
}
