using InnerEye.Imaging.Dicom;
using InnerEye.Imaging.Series;
using InnerEye.Imaging.Tests.Support;

namespace InnerEye.Imaging.Tests.Series;

public class VolumeLoaderTests
{
    [SkippableTheory]
    [InlineData("")]
    [InlineData("--oblique")]
    [InlineData("--feet-first")]
    [InlineData("--oblique --feet-first --implicit")]
    [InlineData("--bits-stored 12 --slices 1")]
    public void VolumeMatchesPydicomAndTheWrittenGeometry(string optionText)
    {
        var options = optionText.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        SyntheticSeries.RequireTools();
        using var dir = new TempDirectory();
        var series = SyntheticSeries.Make(dir.Combine("series"), options);
        var result = VolumeLoader.Load(series.Path);

        Assert.Empty(result.Problems);
        var loaded = Assert.Single(result.Channels);
        Assert.Equal("ct", loaded.Channel);
        Assert.Equal(series.SeriesUid, loaded.SeriesInstanceUid);
        var v = loaded.Volume;
        AssertClose(series.Origin, v.Origin, 1e-4);
        AssertClose(series.Direction, v.Direction, 1e-5);
        AssertClose(series.Spacing, v.Spacing, 1e-4);
        Assert.Equal(SyntheticSeries.ReferenceVolume(series.Path, dir.Path), v.ToArray());
        for (var k = 1; k < loaded.Slices.Count; k++)
        {
            var expected = v.ToPatient(0, 0, k);
            AssertClose([expected.X, expected.Y, expected.Z], loaded.Slices[k].Position, 1e-3);
        }
    }

    [SkippableFact]
    public void GatewayZipLoadsLikeTheFolderAndKeepsHashedUidsVerbatim()
    {
        SyntheticSeries.RequireTools();
        using var dir = new TempDirectory();
        var zip = SyntheticSeries.Make(dir.Combine("scan.zip"), "--zip", "--hashed-uids", "--slices", "12");
        var folder = SyntheticSeries.Make(dir.Combine("scan"), "--hashed-uids", "--slices", "12");
        var fromZip = Assert.Single(VolumeLoader.Load(zip.Path).ThrowIfInvalid().Channels);
        var fromFolder = Assert.Single(VolumeLoader.Load(folder.Path).ThrowIfInvalid().Channels);

        Assert.Equal(64, zip.StudyUid.Length);
        Assert.Equal(zip.StudyUid, fromZip.StudyInstanceUid);
        Assert.Equal(zip.SeriesUid, fromZip.SeriesInstanceUid);
        Assert.Equal(zip.FrameUid, fromZip.FrameOfReferenceUid);
        Assert.Equal(fromFolder.Volume.ToArray(), fromZip.Volume.ToArray());
        Assert.Equal(SyntheticSeries.ReferenceVolume(zip.Path, dir.Path), fromZip.Volume.ToArray());
        var study = Assert.Single(fromZip.PatientAndStudy, e => e.Tag == DicomTags.StudyInstanceUID);
        Assert.Equal(DicomVR.LO, study.VR);
        Assert.Equal(zip.StudyUid, System.Text.Encoding.ASCII.GetString(study.Value).TrimEnd(' ', '\0'));
    }

    [SkippableFact]
    public void SingleSliceIsAOneSliceVolume()
    {
        SyntheticSeries.RequireTools();
        using var dir = new TempDirectory();
        var series = SyntheticSeries.Make(dir.Combine("s"), "--slices", "1", "--spacing", "0.7,0.7,3");
        var v = Assert.Single(VolumeLoader.Load(series.Path).ThrowIfInvalid().Channels).Volume;
        Assert.Equal(1, v.SizeZ);
        Assert.Equal(3, v.Spacing[2], 6);
    }

    private static void AssertClose(double[] expected, double[] actual, double tolerance)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance, $"[{i}] expected {expected[i]} but got {actual[i]}");
    }
}
