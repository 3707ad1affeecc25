using System.IO.Compression;
using System.Text.Json;
using InnerEye.Cli;
using InnerEye.Imaging.Dicom;
using InnerEye.Imaging.Nifti;
using InnerEye.Imaging.Phantoms;
using InnerEye.Imaging.Series;
using InnerEye.Imaging.Tests.Support;
using Xunit.Abstractions;

namespace InnerEye.Imaging.Tests.Phantoms;

public class PhantomOutputTests(PhantomFixture fixture, ITestOutputHelper output) : IClassFixture<PhantomFixture>
{
    public static TheoryData<bool> Positions => new() { false, true };

    private WrittenPhantom Get(bool feetFirst) => feetFirst ? fixture.FeetFirst : fixture.HeadFirst;

    /// <summary>The NIfTI affine a DICOM volume implies: ImageVolume.ToPatient with x and y negated (LPS → RAS).</summary>
    private static (double, double, double) Ras(ImageVolume v, double i, double j, double k)
    {
        var (x, y, z) = v.ToPatient(i, j, k);
        return (-x, -y, z);
    }

    private static IEnumerable<(int I, int J, int K)> Corners(ImageVolume v) =>
        from i in new[] { 0, v.SizeX - 1 }
        from j in new[] { 0, v.SizeY - 1 }
        from k in new[] { 0, v.SizeZ - 1 }
        select (i, j, k);

    private static void AssertPoint((double, double, double) expected, (double, double, double) actual, string what)
    {
        var (ex, ey, ez) = expected;
        var (ax, ay, az) = actual;
        // The header stores float32: allow its rounding of coordinates of a few hundred mm.
        Assert.True(Math.Abs(ex - ax) < 1e-3 && Math.Abs(ey - ay) < 1e-3 && Math.Abs(ez - az) < 1e-3, $"{what}: expected {expected}, got {actual}");
    }

    [SkippableTheory]
    [MemberData(nameof(Positions))]
    public void Nifti_ReadsBack_WithTheDicomGeometry(bool feetFirst)
    {
        var w = Get(feetFirst);
        var v = w.Series.Volume;
        var nifti = NiftiReader.Read(Path.Combine(w.Folder, "labels.nii.gz"));
        Assert.Equal([v.SizeX, v.SizeY, v.SizeZ], nifti.Size);
        Assert.Equal(NiftiDataType.UInt8, nifti.DataType);
        Assert.Equal(1, nifti.QformCode);
        Assert.Equal(1, nifti.SformCode);
        ThoraxPhantomTests.AssertClose(v.Spacing, nifti.Spacing, 1e-5);
        Assert.Equal(ThoraxPhantomTests.Flatten(w.Phantom.Labels), nifti.Data);
        var qform = nifti.QformMatrix();
        foreach (var (i, j, k) in Corners(v))
        {
            AssertPoint(Ras(v, i, j, k), NiftiGeometry.Apply(nifti.Sform, i, j, k), $"sform at ({i},{j},{k})");
            AssertPoint(Ras(v, i, j, k), NiftiGeometry.Apply(qform, i, j, k), $"qform at ({i},{j},{k})");
        }
    }

    [SkippableTheory]
    [MemberData(nameof(Positions))]
    public void Nifti_IndependentPythonReader_AgreesOnVoxelsAndAffine(bool feetFirst)
    {
        ExternalProcess.Require(ExternalProcess.Python, "numpy");
        var w = Get(feetFirst);
        var v = w.Series.Volume;
        using var temp = new TempDirectory();
        var raw = temp.Combine("labels.raw");
        var (_, stdout, _) = ExternalProcess.RunPythonTool("read_nifti.py", Path.Combine(w.Folder, "labels.nii.gz"), raw);
        using var json = JsonDocument.Parse(stdout);
        var root = json.RootElement;
        double[] Doubles(string name) => [.. root.GetProperty(name).EnumerateArray().Select(e => e.GetDouble())];

        Assert.Equal([3, v.SizeX, v.SizeY, v.SizeZ, 1, 1, 1, 1], root.GetProperty("dim").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal(2, root.GetProperty("datatype").GetInt32());
        Assert.Equal(8, root.GetProperty("bitpix").GetInt32());
        Assert.Equal(352, root.GetProperty("vox_offset").GetDouble());
        Assert.Equal(1, root.GetProperty("qform_code").GetInt32());
        Assert.Equal(1, root.GetProperty("sform_code").GetInt32());
        Assert.Equal("n+1\0", root.GetProperty("magic").GetString());
        Assert.Equal(352 + v.VoxelCount, root.GetProperty("length").GetInt64());
        ThoraxPhantomTests.AssertClose(v.Spacing, Doubles("pixdim")[1..4], 1e-5);
        Assert.Equal(ThoraxPhantomTests.Flatten(w.Phantom.Labels), File.ReadAllBytes(raw));

        var srow = Doubles("srow");
        var qform = root.GetProperty("qform").EnumerateArray().SelectMany(r => r.EnumerateArray().Select(e => e.GetDouble())).ToArray();
        foreach (var (i, j, k) in Corners(v))
        {
            AssertPoint(Ras(v, i, j, k), NiftiGeometry.Apply(srow, i, j, k), $"python sform at ({i},{j},{k})");
            AssertPoint(Ras(v, i, j, k), NiftiGeometry.Apply(qform, i, j, k), $"python qform at ({i},{j},{k})");
        }
    }

    [SkippableFact]
    public void NiftiGeometry_HandlesAMirroredGrid()
    {
        // A left-handed grid (row +x, column +y, slices toward the feet) needs qfac = -1.
        double[] origin = [-10, 20, 30], direction = [1, 0, 0, 0, 1, 0, 0, 0, -1], spacing = [0.5, 0.7, 2];
        var (q, offset, qfac) = NiftiGeometry.QformFromDicom(origin, direction);
        Assert.Equal(-1, qfac);
        var m = NiftiGeometry.QuaternionToMatrix(q, offset, spacing, qfac);
        var s = NiftiGeometry.SformFromDicom(origin, direction, spacing);
        for (var n = 0; n < 12; n++) Assert.True(Math.Abs(m[n] - s[n]) < 1e-12, $"[{n}] {m[n]} vs {s[n]}");
        AssertPoint((10, -20 - 0.7 * 3, 30 - 2 * 4), NiftiGeometry.Apply(s, 0, 3, 4), "sform");
    }

    [SkippableFact]
    public void Zip_LoadsToTheSameVolumeAsTheFolder()
    {
        var w = fixture.HeadFirst;
        var zipPath = Path.Combine(w.Folder, "scan.zip");
        using (var archive = ZipFile.OpenRead(zipPath))
        {
            var names = archive.Entries.Select(e => e.FullName).ToList();
            Assert.Equal(Enumerable.Range(0, 28).Select(i => $"ct/{i}").Order(), names.Order());
            Assert.NotEqual(names.Order(StringComparer.Ordinal), names);
            Assert.All(archive.Entries, e => Assert.True(e.CompressedLength < e.Length));
            foreach (var e in archive.Entries)
            {
                using var stream = e.Open();
                using var copy = new MemoryStream();
                stream.CopyTo(copy);
                Assert.Equal(File.ReadAllBytes(Path.Combine(w.Folder, e.FullName)), copy.ToArray());
            }
        }
        var result = VolumeLoader.Load(zipPath);
        Assert.Empty(result.Problems);
        var zipped = Assert.Single(result.Channels);
        Assert.Equal("ct", zipped.Channel);
        var a = w.Series.Volume;
        var b = zipped.Volume;
        Assert.Equal(a.Origin, b.Origin);
        Assert.Equal(a.Spacing, b.Spacing);
        Assert.Equal(a.Direction, b.Direction);
        Assert.Equal(a.ToArray(), b.ToArray());
    }

    [SkippableFact]
    public void FeetFirst_LoadsAlongTheNormal_WithLabelsOnTheHu()
    {
        var ffs = fixture.FeetFirst;
        var hfs = fixture.HeadFirst;
        var v = ffs.Series.Volume;
        // FFS: rows run toward the patient's right and the slice normal toward the feet.
        Assert.Equal([-1.0, 0, 0, 0, 1, 0, 0, 0, -1], v.Direction);
        var positions = ffs.Series.Slices.Select(s => s.Position).ToList();
        Assert.Equal(positions.Max(p => p[2]), v.Origin[2]);
        Assert.Equal(positions[0], v.Origin);
        // Instance numbers follow the loaded order and z falls as they rise.
        var byInstance = Directory.EnumerateFiles(Path.Combine(ffs.Folder, "ct")).Select(f => DicomReader.ReadFile(f).Dataset)
            .Select(d => (Instance: int.Parse(d.GetString(DicomTags.InstanceNumber)!.Trim(), System.Globalization.CultureInfo.InvariantCulture),
                Z: double.Parse(d.GetString(DicomTags.ImagePositionPatient)!.Split('\\')[2], System.Globalization.CultureInfo.InvariantCulture),
                Position: d.GetString(new DicomTag(0x0018, 0x5100))))
            .OrderBy(t => t.Instance).ToList();
        Assert.All(byInstance, t => Assert.Equal("FFS", t.Position));
        Assert.True(byInstance.Zip(byInstance.Skip(1)).All(p => p.Second.Z < p.First.Z));

        // The same seed and grid scanned head first is the same patient: the FFS volume is the HFS one mirrored in x and z.
        var h = hfs.Series.Volume;
        Assert.Equal(h.Origin[2] + (h.SizeZ - 1) * h.Spacing[2], v.Origin[2], 6);
        var labels = NiftiReader.Read(Path.Combine(ffs.Folder, "labels.nii.gz")).Data;
        var hfsLabels = NiftiReader.Read(Path.Combine(hfs.Folder, "labels.nii.gz")).Data;
        long lung = 0;
        double lungSum = 0;
        for (var k = 0; k < v.SizeZ; k++)
        {
            for (var j = 0; j < v.SizeY; j++)
            {
                for (var i = 0; i < v.SizeX; i++)
                {
                    var index = ((long)k * v.SizeY + j) * v.SizeX + i;
                    var mirrored = ((long)(v.SizeZ - 1 - k) * v.SizeY + j) * v.SizeX + (v.SizeX - 1 - i);
                    if (labels[index] != hfsLabels[mirrored]) Assert.Fail($"FFS label at ({i},{j},{k}) differs from the mirrored HFS label");
                    if (labels[index] is 2 or 3)
                    {
                        lung++;
                        lungSum += v.Slices[k][j * v.SizeX + i];
                    }
                }
            }
        }
        Assert.True(lung > 1000);
        Assert.InRange(lungSum / lung, -900, -700);
    }

    [SkippableTheory]
    [MemberData(nameof(Positions))]
    public void Pydicom_LoadsTheSameVolume(bool feetFirst)
    {
        ExternalProcess.Require(ExternalProcess.Python, "pydicom");
        var w = Get(feetFirst);
        using var temp = new TempDirectory();
        var raw = temp.Combine("volume.raw");
        var (_, stdout, _) = ExternalProcess.RunPythonTool("pydicom_volume.py", Path.Combine(w.Folder, "ct"), raw);
        using var json = JsonDocument.Parse(stdout);
        var v = w.Series.Volume;
        double[] Doubles(string name) => [.. json.RootElement.GetProperty(name).EnumerateArray().Select(e => e.GetDouble())];
        ThoraxPhantomTests.AssertClose(v.Origin, Doubles("origin"));
        ThoraxPhantomTests.AssertClose(v.Spacing, Doubles("spacing"));
        var bytes = File.ReadAllBytes(raw);
        var values = new float[bytes.Length / 4];
        Buffer.BlockCopy(bytes, 0, values, 0, bytes.Length);
        Assert.Equal(v.ToArray(), values);
    }

    [SkippableFact]
    public void Dciodvfy_ReportsNoErrors()
    {
        ExternalProcess.Require("/usr/bin/dciodvfy");
        foreach (var w in new[] { fixture.HeadFirst, fixture.FeetFirst })
        {
            var (_, stdout, stderr) = ExternalProcess.Run("/usr/bin/dciodvfy", [Path.Combine(w.Folder, "ct", "3")], throwOnError: false);
            var report = stdout + stderr;
            output.WriteLine(report);
            Assert.Contains("CTImage", report);
            var errors = report.Split('\n').Where(l => l.StartsWith("Error", StringComparison.Ordinal)).ToList();
            Assert.True(errors.Count == 0, string.Join('\n', errors));
        }
    }

    [SkippableFact]
    public void Slices_CarryTheExpectedAttributes()
    {
        var w = fixture.HeadFirst;
        var file = DicomReader.ReadFile(Path.Combine(w.Folder, "ct", "0"));
        var d = file.Dataset;
        Assert.Equal(TransferSyntax.ExplicitVRLittleEndian.Uid, file.TransferSyntax.Uid);
        Assert.Equal(PhantomWriter.CtImageStorage, d.GetString(DicomTags.SOPClassUID));
        Assert.Equal($"Phantom^{PhantomFixture.Seed}", d.GetString(DicomTags.PatientName));
        Assert.Equal("CT", d.GetString(DicomTags.Modality));
        Assert.Equal("HFS", d.GetString(new DicomTag(0x0018, 0x5100)));
        Assert.Equal("ORIGINAL\\PRIMARY\\AXIAL", d.GetString(DicomTags.ImageType));
        Assert.Equal("-1024", d.GetString(DicomTags.RescaleIntercept));
        Assert.Equal("HU", d.GetString(new DicomTag(0x0028, 0x1054)));
        Assert.Equal(PhantomWriter.StudyDateTime(PhantomFixture.Seed).Date, d.GetString(DicomTags.StudyDate));
        foreach (var tag in new[] { DicomTags.SOPInstanceUID, DicomTags.StudyInstanceUID, DicomTags.SeriesInstanceUID,
            DicomTags.FrameOfReferenceUID })
        {
            var uid = d.GetString(tag)!;
            Assert.StartsWith("2.25.", uid);
            Assert.True(UidGenerator.IsValid(uid), uid);
        }
        Assert.Equal(28, w.Series.Slices.Select(s => s.SopInstanceUid).Distinct().Count());
    }

    [SkippableTheory]
    [InlineData("Option '--seed' is required", "--out", "X")]
    [InlineData("Option '--out' is required", "--seed", "1")]
    [InlineData("not a whole number", "--seed", "1.5", "--out", "X")]
    [InlineData("out of range", "--seed", "-1", "--out", "X")]
    [InlineData("out of range", "--seed", "1", "--out", "X", "--rows", "15")]
    [InlineData("out of range", "--seed", "1", "--out", "X", "--cols", "1025")]
    [InlineData("out of range", "--seed", "1", "--out", "X", "--slices", "0")]
    [InlineData("out of range", "--seed", "1", "--out", "X", "--slices", "1001")]
    [InlineData("not a whole number", "--seed", "1", "--out", "X", "--rows", "abc")]
    [InlineData("three numbers", "--seed", "1", "--out", "X", "--spacing", "1,1")]
    [InlineData("out of range", "--seed", "1", "--out", "X", "--spacing", "1,1,0")]
    [InlineData("out of range", "--seed", "1", "--out", "X", "--spacing", "1,1,10.5")]
    [InlineData("not a number", "--seed", "1", "--out", "X", "--spacing", "1,x,1")]
    [InlineData("not a number", "--seed", "1", "--out", "X", "--spacing", "1,NaN,1")]
    [InlineData("Required argument missing for option: '--out'", "--seed", "1", "--out")]
    [InlineData("Unrecognized command or argument '--bogus'", "--seed", "1", "--out", "X", "--bogus")]
    [InlineData("'--seed' expects a single argument but 2 were provided", "--seed", "1", "--seed", "2", "--out", "X")]
    public void Cli_RejectsBadArguments_WithUsage(string message, params string[] args)
    {
        var (exit, stdout, stderr) = PhantomFixture.Run(args);
        Assert.Equal(ExitCodes.InputProblem, exit);
        Assert.Contains(message, stderr);
        Assert.Contains("usage: innereye phantom --seed N --out DIR [options]", stderr);
        Assert.Empty(stdout);
        Assert.False(Directory.Exists("X"));
    }
}
