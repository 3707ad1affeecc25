using System.Text.Json;
using InnerEye.Imaging.Nifti;
using InnerEye.Imaging.Phantoms;
using InnerEye.Imaging.Series;
using InnerEye.Imaging.Tests.Support;

namespace InnerEye.Imaging.Tests.Phantoms;

public class ThoraxPhantomTests(PhantomFixture fixture) : IClassFixture<PhantomFixture>
{
    public static TheoryData<bool> Positions => new() { false, true };

    private WrittenPhantom Get(bool feetFirst) => feetFirst ? fixture.FeetFirst : fixture.HeadFirst;

    [SkippableFact]
    public void SameSeed_WritesIdenticalFiles()
    {
        using var temp = new TempDirectory();
        var options = PhantomFixture.Small with { Seed = 5, Slices = 6 };
        var a = temp.NewPath("a");
        var b = temp.NewPath("b");
        Assert.Equal(0, PhantomFixture.Run(PhantomFixture.Arguments(options, a)).Exit);
        Assert.Equal(0, PhantomFixture.Run(PhantomFixture.Arguments(options, b)).Exit);

        var files = Directory.EnumerateFiles(a, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(a, f)).Order().ToList();
        Assert.Equal(files, Directory.EnumerateFiles(b, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(b, f)).Order());
        Assert.Equal(6 + 3, files.Count);
        foreach (var f in files) Assert.True(File.ReadAllBytes(Path.Combine(a, f)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(b, f))),
            $"{f} differs");
    }

    [SkippableFact]
    public void DifferentSeeds_GiveDifferentAnatomy()
    {
        var counts = new[] { 1, 2, 3 }.Select(seed => ThoraxPhantom.Generate(PhantomFixture.Small with { Seed = seed }).LabelCounts()).ToList();
        // Lungs and heart differ in size for every pair of seeds; the small cord may by chance cover as many voxels.
        foreach (var label in new[] { PhantomLabel.Lung_R, PhantomLabel.Lung_L, PhantomLabel.Heart, PhantomLabel.Esophagus })
        {
            Assert.Equal(3, counts.Select(c => c[(int)label]).Distinct().Count());
        }
        var uids = new[] { 1, 2 }.Select(seed => PhantomRandom.Uid(seed, "series", 0)).ToList();
        Assert.NotEqual(uids[0], uids[1]);
        Assert.All(uids, u => Assert.True(InnerEye.Imaging.Dicom.UidGenerator.IsValid(u) && u.StartsWith("2.25.", StringComparison.Ordinal), u));
    }

    [SkippableTheory]
    [MemberData(nameof(Positions))]
    public void LoadsWithoutProblems_AndMatchesTheSummary(bool feetFirst)
    {
        var w = Get(feetFirst);
        Assert.Empty(w.Result.Problems);
        var v = w.Series.Volume;
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(w.Folder, "phantom.json")));
        var root = json.RootElement;
        double[] Doubles(string name) => [.. root.GetProperty(name).EnumerateArray().Select(e => e.GetDouble())];

        Assert.Equal(PhantomFixture.Seed, root.GetProperty("seed").GetInt32());
        Assert.Equal([v.SizeX, v.SizeY, v.SizeZ], root.GetProperty("size").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal([192, 176, 28], new[] { v.SizeX, v.SizeY, v.SizeZ });
        AssertClose(v.Spacing, Doubles("spacing"));
        AssertClose(v.Origin, Doubles("origin"));
        AssertClose(v.Direction, Doubles("direction"));
        Assert.Equal(feetFirst ? "FFS" : "HFS", root.GetProperty("patientPosition").GetString());
        Assert.Equal(["Background", "SpinalCord", "Lung_R", "Lung_L", "Heart", "Esophagus"],
            root.GetProperty("structures").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(w.Phantom.LabelCounts(), root.GetProperty("labelCounts").EnumerateArray().Select(e => e.GetInt64()));
        Assert.Equal(w.Series.SeriesInstanceUid, root.GetProperty("seriesInstanceUid").GetString());

        // The loaded HU are the phantom's, slice for slice.
        for (var k = 0; k < v.SizeZ; k++)
        {
            var expected = w.Phantom.Hu[k];
            var actual = v.Slices[k];
            for (var i = 0; i < expected.Length; i++)
            {
                if (actual[i] != expected[i]) Assert.Fail($"slice {k} voxel {i}: loaded {actual[i]}, phantom {expected[i]}");
            }
        }
    }

    [SkippableTheory]
    [MemberData(nameof(Positions))]
    public void HuStatistics_PerLabel_AreInRange(bool feetFirst)
    {
        var w = Get(feetFirst);
        var v = w.Series.Volume;
        var labels = NiftiReader.Read(Path.Combine(w.Folder, "labels.nii.gz")).Data;
        var tissues = Flatten(w.Phantom.Tissues);
        var hu = v.ToArray();
        double Mean(Func<int, bool> where)
        {
            double sum = 0;
            long n = 0;
            for (var i = 0; i < hu.Length; i++)
            {
                if (!where(i)) continue;
                sum += hu[i];
                n++;
            }
            Assert.True(n > 0);
            return sum / n;
        }
        double LabelMean(PhantomLabel l) => Mean(i => labels[i] == (byte)l);

        for (var label = 1; label <= 5; label++) Assert.Contains((byte)label, labels);
        Assert.InRange(LabelMean(PhantomLabel.Lung_R), -900, -700);
        Assert.InRange(LabelMean(PhantomLabel.Lung_L), -900, -700);
        var heart = LabelMean(PhantomLabel.Heart);
        var muscle = Mean(i => tissues[i] == (byte)PhantomTissue.Muscle);
        Assert.InRange(heart, 30, 60);
        Assert.InRange(muscle, 10, 30);
        Assert.True(heart > muscle + 10, $"heart {heart} vs muscle {muscle}");
        Assert.InRange(LabelMean(PhantomLabel.SpinalCord), 28, 42);
        Assert.InRange(Mean(i => tissues[i] == (byte)PhantomTissue.Csf), 3, 17);
        Assert.InRange(Mean(i => tissues[i] == (byte)PhantomTissue.Fat), -125, -75);
        Assert.InRange(Mean(i => tissues[i] == (byte)PhantomTissue.CancellousBone), 250, 450);
        Assert.True(Mean(i => tissues[i] == (byte)PhantomTissue.CorticalBone) > Mean(i => tissues[i] == (byte)PhantomTissue.CancellousBone) + 200);
        Assert.InRange(Mean(i => tissues[i] == (byte)PhantomTissue.EsophagusLumen), -950, -850);
        Assert.InRange(Mean(i => tissues[i] == (byte)PhantomTissue.OutsideAir), -1010, -990);
        Assert.InRange(Mean(i => tissues[i] == (byte)PhantomTissue.EsophagusWall), 25, 45);
        Assert.Equal(-1024, hu.Min());

        // Every lung voxel, vessels included, lies in the lung HU band (noise aside).
        var lungValues = hu.Where((_, i) => labels[i] is 2 or 3).ToArray();
        var sigma = w.Phantom.Anatomy.NoiseSigma;
        Assert.All(new[] { lungValues.Min(), lungValues.Max() }, x => Assert.InRange(x, -900 - 6 * sigma, 40 + 6 * sigma));
        Assert.True(lungValues.Count(x => x > -700) < lungValues.Length / 20, "more than 5% of lung voxels are brighter than -700 HU");
    }

    [SkippableTheory]
    [MemberData(nameof(Positions))]
    public void Labels_AgreeWithTissues_AndStayClearOfOutsideAir(bool feetFirst)
    {
        var p = Get(feetFirst).Phantom;
        var g = p.Geometry;
        int nx = g.Columns, ny = g.Rows;
        for (var k = 0; k < g.Slices; k++)
        {
            var labels = p.Labels[k];
            var tissues = p.Tissues[k];
            for (var j = 0; j < ny; j++)
            {
                for (var i = 0; i < nx; i++)
                {
                    var index = j * nx + i;
                    Assert.Equal((byte)PhantomStructures.LabelOf((PhantomTissue)tissues[index]), labels[index]);
                    if (labels[index] == 0) continue;
                    foreach (var (di, dj, dk) in new[] { (1, 0, 0), (-1, 0, 0), (0, 1, 0), (0, -1, 0), (0, 0, 1), (0, 0, -1) })
                    {
                        int a = i + di, b = j + dj, c = k + dk;
                        if (a < 0 || b < 0 || c < 0 || a >= nx || b >= ny || c >= g.Slices) continue;
                        if (p.Tissues[c][b * nx + a] == (byte)PhantomTissue.OutsideAir) Assert.Fail(
                            $"label {labels[index]} at ({i},{j},{k}) touches outside air");
                    }
                }
            }
        }
        // The labelled organs never reach the edge of the image.
        Assert.All(p.Labels, slice =>
        {
            for (var i = 0; i < nx; i++) Assert.True(slice[i] == 0 && slice[(ny - 1) * nx + i] == 0);
        });
    }

    [SkippableTheory]
    [MemberData(nameof(Positions))]
    public void Anatomy_IsOnTheRightSides_InPatientCoordinates(bool feetFirst)
    {
        var w = Get(feetFirst);
        var v = w.Series.Volume;
        var labels = NiftiReader.Read(Path.Combine(w.Folder, "labels.nii.gz")).Data;
        var sums = new (double X, double Y, long N)[6];
        for (var k = 0; k < v.SizeZ; k++)
        {
            for (var j = 0; j < v.SizeY; j++)
            {
                for (var i = 0; i < v.SizeX; i++)
                {
                    var label = labels[((long)k * v.SizeY + j) * v.SizeX + i];
                    if (label == 0) continue;
                    var (x, y, _) = v.ToPatient(i, j, k);
                    sums[label] = (sums[label].X + x, sums[label].Y + y, sums[label].N + 1);
                }
            }
        }
        var centre = sums.Select(s => s.N == 0 ? (X: double.NaN, Y: double.NaN) : (X: s.X / s.N, Y: s.Y / s.N)).ToArray();
        Assert.True(centre[(int)PhantomLabel.Lung_R].X < -40, $"right lung at x = {centre[2].X}");
        Assert.True(centre[(int)PhantomLabel.Lung_L].X > 40, $"left lung at x = {centre[3].X}");
        Assert.True(centre[(int)PhantomLabel.Heart].Y < centre[(int)PhantomLabel.Esophagus].Y, "the heart is anterior to the oesophagus");
        Assert.True(centre[(int)PhantomLabel.Esophagus].Y < centre[(int)PhantomLabel.SpinalCord].Y, "the oesophagus is anterior to the cord");
        Assert.InRange(centre[(int)PhantomLabel.SpinalCord].X, -15, 15);
    }

    [SkippableFact]
    public void OrganExtents_EndWithinALongScan()
    {
        // 120 slices 5 mm apart cover 600 mm: the ends hold neither heart nor lungs, the middle holds all labels.
        var p = ThoraxPhantom.Generate(new ThoraxPhantomOptions { Seed = 3, Rows = 64, Columns = 64, Slices = 120, ColumnSpacing = 6, RowSpacing = 6,
            SliceSpacing = 5 });
        bool Has(int k, PhantomLabel l) => p.Labels[k].Contains((byte)l);
        Assert.False(Has(0, PhantomLabel.Heart) || Has(0, PhantomLabel.Lung_L) || Has(0, PhantomLabel.Lung_R));
        Assert.False(Has(119, PhantomLabel.Heart) || Has(119, PhantomLabel.Lung_L) || Has(119, PhantomLabel.Lung_R));
        Assert.True(Has(60, PhantomLabel.Heart) && Has(60, PhantomLabel.Lung_L) && Has(60, PhantomLabel.Lung_R) && Has(60, PhantomLabel.Esophagus));
        var heartSlices = Enumerable.Range(0, 120).Count(k => Has(k, PhantomLabel.Heart));
        var lungSlices = Enumerable.Range(0, 120).Count(k => Has(k, PhantomLabel.Lung_L));
        Assert.InRange(heartSlices * 5, 60, 160);
        Assert.InRange(lungSlices * 5, 180, 300);
        Assert.True(heartSlices < lungSlices);
    }

    [SkippableFact]
    public void EverySeed_HoldsEveryLabel_NearTheScanCentre()
    {
        for (var seed = 100; seed < 124; seed++)
        {
            var p = ThoraxPhantom.Generate(new ThoraxPhantomOptions { Seed = seed, Rows = 128, Columns = 128, Slices = 3, ColumnSpacing = 3,
                RowSpacing = 3, SliceSpacing = 3 });
            var counts = p.LabelCounts();
            for (var label = 1; label <= 5; label++) Assert.True(counts[label] > 0, $"seed {seed}: no {PhantomStructures.Names[label - 1]}");
            Assert.True(counts[(int)PhantomLabel.Lung_R] > 300 && counts[(int)PhantomLabel.Lung_L] > 300 && counts[(int)PhantomLabel.Heart] > 300,
                $"seed {seed}: {string.Join(',', counts)}");
        }
    }

    [SkippableFact]
    public void DefaultSpacing_IsDrawnFromTheSeed_AndHoldsTheBody()
    {
        var spacings = Enumerable.Range(0, 8).Select(seed => ThoraxPhantom.Generate(new ThoraxPhantomOptions { Seed = seed, Rows = 512, Columns = 512,
            Slices = 1 }).Geometry).ToList();
        Assert.All(spacings, g =>
        {
            Assert.InRange(g.Spacing[0], 0.6, 1.2);
            Assert.Equal(g.Spacing[0], g.Spacing[1]);
            Assert.InRange(g.Spacing[2], 1, 5);
        });
        Assert.True(spacings.Select(g => g.Spacing[2]).Distinct().Count() > 4);
        var p = ThoraxPhantom.Generate(new ThoraxPhantomOptions { Seed = 4, Rows = 512, Columns = 512, Slices = 1 });
        Assert.InRange(p.Anatomy.BodySemiWidth * 2, 330 * 0.8, 330 * 1.2);
        // The body fits the field of view: the border of the image is outside air.
        var tissues = p.Tissues[0];
        Assert.All(Enumerable.Range(0, 512), i => Assert.Equal((byte)PhantomTissue.OutsideAir, tissues[i]));
        Assert.All(Enumerable.Range(0, 512), j => Assert.Equal((byte)PhantomTissue.OutsideAir, tissues[j * 512]));
    }

    internal static byte[] Flatten(byte[][] slices) => [.. slices.SelectMany(s => s)];

    internal static void AssertClose(double[] expected, double[] actual, double tolerance = 1e-6)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++) Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance,
            $"[{i}] expected {expected[i]}, got {actual[i]}");
    }
}
