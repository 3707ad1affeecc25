using System.Text.Json;
using InnerEye.Cli;
using InnerEye.Imaging.Dicom;
using InnerEye.Imaging.Nifti;
using InnerEye.Imaging.Phantoms;
using InnerEye.Imaging.Seg;
using InnerEye.Imaging.Series;
using InnerEye.Imaging.Tests.Support;

namespace InnerEye.Imaging.Tests.Series;

/// <summary>
/// Gantry-tilted series (slices shifted within their plane along one straight line) load as sheared grids with their
/// true geometry; a steeper tilt than the limit, or positions off one straight line, are refused.
/// </summary>
public class GantryTiltTests
{
    private static readonly ThoraxPhantomOptions Small = new() { Seed = 11, Rows = 48, Columns = 40, Slices = 7 };

    private static (int Exit, string Stdout) Inspect(params string[] args)
    {
        var stdout = new StringWriter();
        var exit = CommandLine.RunAsync(["inspect", .. args], stdout, new StringWriter()).GetAwaiter().GetResult();
        return (exit, stdout.ToString());
    }

    private static void Near(double[] expected, double[] actual, double tolerance, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance, $"{what}[{i}]: expected {expected[i]}, got {actual[i]}");
    }

    [SkippableTheory]
    [InlineData(10)]
    [InlineData(20)]
    [InlineData(-22)]
    public void InspectReportsTheTrueShearedGeometry(double tilt)
    {
        TiltedSeries.RequireTools();
        using var dir = new TempDirectory();
        var truth = TiltedSeries.Make(dir, Small, tilt);
        Assert.Equal(Math.Abs(tilt), truth.TiltDegrees);

        var (exit, stdout) = Inspect(truth.Folder, "--json");
        Assert.Equal(0, exit);
        using var doc = JsonDocument.Parse(stdout);
        Assert.Empty(doc.RootElement.GetProperty("problems").EnumerateArray());
        var channel = Assert.Single(doc.RootElement.GetProperty("channels").EnumerateArray());
        double[] Numbers(string name) => channel.GetProperty(name).EnumerateArray().Select(e => e.GetDouble()).ToArray();
        Near(truth.Origin, Numbers("origin"), 1e-5, "origin");
        Near(truth.Spacing, Numbers("spacing"), 1e-5, "spacing");
        Near(truth.Direction, Numbers("direction"), 1e-5, "direction");
        Assert.Equal(Math.Abs(tilt), channel.GetProperty("tiltDegrees").GetDouble(), 4);

        var (textExit, text) = Inspect(truth.Folder);
        Assert.Equal(0, textExit);
        Assert.Contains($"gantry tilt {Math.Abs(tilt):0.###}°", text);

        // The positions shift along the column direction as the slices advance; each slice's own position is voxel (0, 0, k).
        var series = Assert.Single(VolumeLoader.Load(truth.CtFolder).ThrowIfInvalid().Channels);
        var v = series.Volume;
        Assert.Equal(Math.Abs(tilt), v.TiltDegrees, 4);
        Assert.Equal(Math.Sign(tilt), Math.Sign(v.Direction[7]));
        Near([0, 0, 1], v.Normal, 1e-9, "normal");
        for (var k = 0; k < v.SizeZ; k++)
        {
            var (x, y, z) = v.ToPatient(0, 0, k);
            Near(series.Slices[k].Position, [x, y, z], 1e-4, $"slice {k} position");
            var (i, j, kk) = v.ToVoxel(series.Slices[k].Position[0] + 3 * v.Spacing[0], series.Slices[k].Position[1] + 5 * v.Spacing[1],
                series.Slices[k].Position[2]);
            Near([3, 5, k], [i, j, kk], 1e-4, $"slice {k} voxel");
        }
    }

    [SkippableFact]
    public void TiltBeyondTheLimitIsRefusedWithItsCode()
    {
        TiltedSeries.RequireTools();
        using var dir = new TempDirectory();
        var steep = TiltedSeries.Make(dir, Small, 35);
        var result = VolumeLoader.Load(steep.CtFolder);
        Assert.Empty(result.Channels);
        var problem = Assert.Single(result.Problems, p => p.Severity == ProblemSeverity.Error);
        Assert.Equal("TiltTooLarge", problem.Code);
        Assert.Contains("35°", problem.Message);
        Assert.Contains("TiltTooLarge", ImagingErrorCodes.All);

        // The limit is configurable: 20° passes the default, fails a 15° limit, and 35° passes a 40° one.
        var moderate = TiltedSeries.Make(dir, Small, 20);
        Assert.Single(VolumeLoader.Load(moderate.CtFolder).ThrowIfInvalid().Channels);
        var strict = VolumeLoader.Load(moderate.CtFolder, SeriesLoadOptions.Default with { MaxTiltDegrees = 15 });
        Assert.Equal("TiltTooLarge", Assert.Single(strict.Problems, p => p.Severity == ProblemSeverity.Error).Code);
        var lenient = VolumeLoader.Load(steep.CtFolder, SeriesLoadOptions.Default with { MaxTiltDegrees = 40 });
        Assert.Equal(35, Assert.Single(lenient.ThrowIfInvalid().Channels).Volume.TiltDegrees, 4);
    }

    [SkippableTheory]
    [InlineData(0)]
    [InlineData(10)]
    public void PositionsOffOneStraightLineAreStillRefused(double tilt)
    {
        TiltedSeries.RequireTools();
        using var dir = new TempDirectory();
        var bent = TiltedSeries.Make(dir, Small, tilt, bend: 2);
        var result = VolumeLoader.Load(bent.CtFolder);
        Assert.Empty(result.Channels);
        var problem = Assert.Single(result.Problems, p => p.Severity == ProblemSeverity.Error);
        Assert.Equal("InconsistentSlicePosition", problem.Code);
        Assert.Contains("straight", problem.Message);
    }

    /// <summary>A bend smaller than the gap tolerance is position noise: the series loads (straight when untilted).</summary>
    [SkippableFact]
    public void PositionNoiseWithinTheToleranceLoads()
    {
        TiltedSeries.RequireTools();
        using var dir = new TempDirectory();
        var straight = TiltedSeries.Make(dir, Small, 0, bend: 0.05);
        var v = Assert.Single(VolumeLoader.Load(straight.CtFolder).ThrowIfInvalid().Channels).Volume;
        Assert.Equal(0, v.TiltDegrees);
        Assert.Equal([0, 0, 1], v.Direction[6..]);
    }

    /// <summary>A SEG of a tilted series keeps each frame's own position and measures the slice spacing along the normal.</summary>
    [SkippableFact]
    public void SegmentationOfATiltedSeriesKeepsTheSourcePlanes()
    {
        TiltedSeries.RequireTools();
        using var dir = new TempDirectory();
        var tilted = TiltedSeries.Make(dir, Small, 20);
        var series = Assert.Single(VolumeLoader.Load(tilted.CtFolder).ThrowIfInvalid().Channels);
        var v = series.Volume;
        var labels = new byte[v.VoxelCount];
        for (var z = 0; z < v.SizeZ; z++) labels[z * v.SliceLength + 10 * v.SizeX + 12] = 1;
        var seg = SegmentationWriter.Build(labels, series, [new SegSegment("Spot", 255, 0, 0)], Seg.SegmentationWriterTests.Options, SegForm.Binary);
        var ds = DicomReader.Read(seg.ToBytes()).Dataset;
        var measures = ds.Items(SegTags.SharedFunctionalGroupsSequence)[0].Items(SegTags.PixelMeasuresSequence)[0];
        Assert.Equal(tilted.Spacing[2] * Math.Cos(20 * Math.PI / 180), measures.GetDouble(SegTags.SpacingBetweenSlices)!.Value, 4);
        var frames = ds.Items(SegTags.PerFrameFunctionalGroupsSequence);
        Assert.Equal(v.SizeZ, frames.Count);
        for (var z = 0; z < v.SizeZ; z++)
            Near(series.Slices[z].Position, frames[z].Items(SegTags.PlanePositionSequence)[0].GetDoubles(DicomTags.ImagePositionPatient)!,
                1e-6, $"frame {z}");
    }

    private static ImageVolume Sheared(double tiltDegrees)
    {
        var a = tiltDegrees * Math.PI / 180;
        var slices = Enumerable.Range(0, 4).Select(_ => new float[6 * 5]).ToArray();
        // Feet-first-like row flip, so the direction matrix is neither orthogonal nor the identity's shear.
        return new ImageVolume(6, 5, [0.8, 0.8, 2.5], [10, -20, 30], [-1, 0, 0, 0, 1, 0, 0, Math.Sin(a), -Math.Cos(a)], slices);
    }

    [Fact]
    public void ToVoxelInvertsToPatientOnAShearedGrid()
    {
        var v = Sheared(25);
        Assert.Equal(25, v.TiltDegrees, 9);
        Near([0, 0, -1], v.Normal, 1e-12, "normal");
        foreach (var (i, j, k) in new[] { (0.0, 0.0, 0.0), (5.5, -0.5, 3.0), (2.25, 4.0, 1.75) })
        {
            var (x, y, z) = v.ToPatient(i, j, k);
            var back = v.ToVoxel(x, y, z);
            Near([i, j, k], [back.I, back.J, back.K], 1e-9, $"({i}, {j}, {k})");
        }
        // A point in slice 2's plane but displaced along the normal is not in slice 2: k follows the step, not the normal.
        var (px, py, pz) = v.ToPatient(1, 1, 2);
        Assert.Equal(2, v.ToVoxel(px, py, pz).K, 9);
        Assert.NotEqual(2, v.ToVoxel(px, py, pz - 1).K, 3);
    }

    [Fact]
    public void NiftiOfAShearedGridCarriesItsAffineInTheSformOnly()
    {
        var v = Sheared(20);
        var nifti = NiftiImage.Labels(new byte[v.VoxelCount], [v.SizeX, v.SizeY, v.SizeZ], v.Spacing, v.Origin, v.Direction, "tilted");
        Assert.Equal(0, nifti.QformCode);
        Assert.Equal(1, nifti.SformCode);
        foreach (var (i, j, k) in new[] { (0, 0, 0), (5, 4, 3), (1, 2, 3) })
        {
            var (x, y, z) = v.ToPatient(i, j, k);
            var (rx, ry, rz) = NiftiGeometry.Apply(nifti.Sform, i, j, k);
            Near([-x, -y, z], [rx, ry, rz], 1e-9, $"sform ({i}, {j}, {k})");
        }
        var straight = Sheared(0);
        Assert.Equal(1, NiftiImage.Labels(new byte[straight.VoxelCount], [6, 5, 4], straight.Spacing, straight.Origin, straight.Direction, "")
            .QformCode);
    }
}
