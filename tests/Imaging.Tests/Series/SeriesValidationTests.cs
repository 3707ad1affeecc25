using System.IO.Compression;
using InnerEye.Imaging.Dicom;
using InnerEye.Imaging.Series;
using InnerEye.Imaging.Tests.Support;

namespace InnerEye.Imaging.Tests.Series;

/// <summary>Each way a series can be unusable is reported with its own code and a message naming the files.</summary>
public class SeriesValidationTests
{
    private static (TempDirectory Dir, string Series, string[] ByPosition) Make(params string[] options)
    {
        SyntheticSeries.RequireTools();
        var dir = new TempDirectory();
        var series = SyntheticSeries.Make(dir.Combine("s"), ["--slices", "8", .. options]);
        var files = Directory.GetFiles(Path.Combine(series.Path, "ct"))
            .OrderBy(f => DicomReader.ReadFile(f).Dataset.GetDoubles(DicomTags.ImagePositionPatient)![2]).ToArray();
        return (dir, series.Path, files);
    }

    private static VolumeProblem SingleError(string path, string code)
    {
        var result = VolumeLoader.Load(path);
        Assert.Empty(result.Channels);
        var problem = Assert.Single(result.Problems, p => p.Severity == ProblemSeverity.Error);
        Assert.Equal(code, problem.Code);
        Assert.Equal("ct", problem.Channel);
        var thrown = Assert.Throws<SeriesValidationException>(() => result.ThrowIfInvalid());
        Assert.Equal(code, thrown.Code);
        return problem;
    }

    /// <summary>
    /// SliceThickness is Type 2: present with an empty value it reads as absent, and the series loads (slice spacing
    /// comes from the positions).
    /// </summary>
    [SkippableFact]
    public void EmptySliceThicknessLoadsAsAbsent()
    {
        var (dir, path, files) = Make();
        using var _ = dir;
        SyntheticSeries.Edit(files, "SliceThickness=");
        var edited = DicomReader.ReadFile(files[0]).Dataset;
        Assert.True(edited.TryGet(DicomTags.SliceThickness, out var element));
        Assert.Equal(0, element.Length);
        Assert.Null(edited.GetDouble(DicomTags.SliceThickness));

        var result = VolumeLoader.Load(path);
        Assert.DoesNotContain(result.Problems, p => p.Severity == ProblemSeverity.Error);
        var series = Assert.Single(result.Channels);
        Assert.Equal(8, series.Volume.SizeZ);
        Assert.Equal(8, series.Slices.Count);
    }

    [SkippableFact]
    public void SeveralSeriesInOneChannel()
    {
        var (dir, path, files) = Make();
        using var _ = dir;
        SyntheticSeries.Edit(files[..3], "SeriesInstanceUID=1.2.3.4");
        var p = SingleError(path, "MultipleSeries");
        Assert.Contains("1.2.3.4 with 3 images", p.Message);
    }

    [SkippableFact]
    public void DuplicateSlicePosition()
    {
        var (dir, path, files) = Make();
        using var _ = dir;
        SyntheticSeries.Edit([files[4]], "ImagePositionPatient=-25.6\\-25.6\\107.5");
        Assert.Contains("both at 107.5 mm", SingleError(path, "DuplicateSlicePosition").Message);
    }

    [SkippableFact]
    public void MissingSlice()
    {
        var (dir, path, files) = Make();
        using var _ = dir;
        File.Delete(files[3]);
        var p = SingleError(path, "MissingSlices");
        Assert.Contains("1 slice(s) missing", p.Message);
        Assert.Contains("105 mm", p.Message);
        Assert.Contains("110 mm", p.Message);
    }

    [SkippableFact]
    public void NonUniformSliceGap()
    {
        var (dir, path, files) = Make();
        using var _ = dir;
        SyntheticSeries.Edit([files[3]], "ImagePositionPatient=-25.6\\-25.6\\108.0");
        Assert.Contains("more than 0.1 mm from the median gap of 2.5 mm", SingleError(path, "NonUniformSliceSpacing").Message);
        var tolerant = VolumeLoader.Load(path, new SeriesLoadOptions { SliceGapTolerance = 0.6 });
        Assert.False(tolerant.HasErrors);
    }

    [SkippableFact]
    public void NonOrthonormalOrientation()
    {
        var (dir, path, files) = Make();
        using var _ = dir;
        SyntheticSeries.Edit(files, "ImageOrientationPatient=1\\0\\0\\0.2\\0.9\\0");
        Assert.Contains("not two orthogonal unit vectors", SingleError(path, "NonOrthonormalOrientation").Message);
    }

    [SkippableFact]
    public void MixedRowsAndColumns()
    {
        var (dir, path, files) = Make();
        using var _ = dir;
        SyntheticSeries.Edit([files[2]], "Rows=32");
        Assert.Contains("all slices of a series must match", SingleError(path, "InconsistentPixelFormat").Message);
    }

    [SkippableFact]
    public void SeveralFramesOfReference()
    {
        var (dir, path, files) = Make();
        using var _ = dir;
        SyntheticSeries.Edit([files[5]], "FrameOfReferenceUID=1.2.3.9");
        Assert.Contains("1.2.3.9", SingleError(path, "MultipleFramesOfReference").Message);
    }

    [SkippableFact]
    public void NonSquareCtPixels()
    {
        var (dir, path, files) = Make();
        using var _ = dir;
        SyntheticSeries.Edit(files, "PixelSpacing=0.8\\0.9");
        Assert.Contains("CT pixels must be square", SingleError(path, "NonSquarePixels").Message);
    }

    /// <summary>
    /// One slice shifted within its plane is not a tilted gantry (the positions do not step along one straight line):
    /// still refused, naming that slice.
    /// </summary>
    [SkippableFact]
    public void SliceShiftedInPlane()
    {
        var (dir, path, files) = Make();
        using var _ = dir;
        SyntheticSeries.Edit([files[6]], "ImagePositionPatient=-20.6\\-25.6\\115");
        var message = SingleError(path, "InconsistentSlicePosition").Message;
        Assert.Contains($"/{Path.GetFileName(files[6])}' at -20.6\\-25.6\\115", message);
    }

    [SkippableFact]
    public void MissingGeometryNamesTheAttribute()
    {
        var (dir, path, files) = Make();
        using var _ = dir;
        SyntheticSeries.Edit([files[1]], "-ImagePositionPatient");
        Assert.Contains("ImagePositionPatient (0020,0032)", SingleError(path, "MissingGeometry").Message);
    }

    [SkippableFact]
    public void TwoChannelsLoadSeparately()
    {
        var (dir, path, _) = Make();
        using var __ = dir;
        CopyDirectory(Path.Combine(path, "ct"), Path.Combine(path, "mr"));
        var result = VolumeLoader.Load(path).ThrowIfInvalid();
        Assert.Equal(["ct", "mr"], result.Channels.Select(c => c.Channel));
    }

    [SkippableFact]
    public void ZipOfTextFilesHasNoImage()
    {
        using var dir = new TempDirectory();
        var zip = dir.Combine("text.zip");
        using (var archive = ZipFile.Open(zip, ZipArchiveMode.Create))
        {
            foreach (var name in new[] { "ct/0", "ct/1" })
            {
                using var w = new StreamWriter(archive.CreateEntry(name).Open());
                w.Write("this is not a DICOM file, just some text that is long enough to look like something");
            }
        }
        var result = VolumeLoader.Load(zip);
        var skipped = Assert.Single(result.Problems, p => p.Code == "NotDicom" && p.Severity == ProblemSeverity.Warning);
        Assert.Contains("The same holds for 1 other file(s)", skipped.Message);
        Assert.Contains(result.Problems, p => p is { Code: "NoImages", Severity: ProblemSeverity.Error } && p.Message.Contains("'ct'"));
    }

    [SkippableFact]
    public void EmptyZipHasNoImage()
    {
        using var dir = new TempDirectory();
        var zip = dir.Combine("empty.zip");
        ZipFile.Open(zip, ZipArchiveMode.Create).Dispose();
        var problem = Assert.Single(VolumeLoader.Load(zip).Problems);
        Assert.Equal("NoImages", problem.Code);
    }

    [SkippableTheory]
    [InlineData("../evil")]
    [InlineData("ct/../../evil")]
    [InlineData("/etc/passwd")]
    [InlineData("C:/windows/evil")]
    [InlineData("..\\evil")]
    public void ZipEntryNamesThatEscapeAreRefused(string name)
    {
        using var dir = new TempDirectory();
        var zip = dir.Combine("evil.zip");
        using (var archive = ZipFile.Open(zip, ZipArchiveMode.Create))
        {
            using var s = archive.CreateEntry(name).Open();
            s.Write(new byte[16]);
        }
        var error = Assert.Throws<ImagingException>(() => VolumeLoader.Load(zip));
        Assert.Equal("UnsafeEntryName", error.Code);
        Assert.Contains("outside the upload", error.Message);
    }

    [SkippableFact]
    public void FileThatIsNotAZipIsRefused()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("random.zip");
        File.WriteAllBytes(path, Enumerable.Range(0, 1024).Select(i => (byte)(i * 7919 % 251)).ToArray());
        Assert.Equal("InvalidZip", Assert.Throws<ImagingException>(() => VolumeLoader.Load(path)).Code);
    }

    private static void CopyDirectory(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var f in Directory.GetFiles(from)) File.Copy(f, Path.Combine(to, Path.GetFileName(f)));
    }
}
