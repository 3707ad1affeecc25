using InnerEye.Imaging.Seg;
using InnerEye.Imaging.Tests.Support;
using Xunit.Abstractions;

namespace InnerEye.Imaging.Tests.Seg;

[Trait("Category", "Conformance")]
public sealed class SegmentationWriterTests(SegFixture fixture, ITestOutputHelper output) : IClassFixture<SegFixture>
{
    public static readonly SegWriteOptions Options = new("InnerEye", "ThoraxCT", "1.2", "ThoraxCT:1.2", ContentCreatorName: "InnerEye^Model",
        SeriesDescription: "InnerEye segmentation", Now: new DateTime(2024, 5, 6, 7, 8, 9));

    public static TheoryData<string, SegForm> Cases => new()
    {
        { "head-first", SegForm.Binary }, { "head-first", SegForm.LabelMap },
        { "feet-first", SegForm.Binary }, { "feet-first", SegForm.LabelMap },
        { "oblique", SegForm.Binary }, { "oblique", SegForm.LabelMap },
    };

    private (string Path, Segmentation Seg, SegCase Case) Write(string kind, SegForm form)
    {
        var c = fixture.Get(kind);
        var path = Path.Combine(fixture.Folder, $"{kind}-{form}-{Guid.NewGuid():N}.dcm");
        using (var file = File.Create(path))
        {
            var seg = SegmentationWriter.Write(file, c.Labels, c.Series, c.Segments, Options, form);
            return (path, seg, c);
        }
    }

    [SkippableTheory]
    [MemberData(nameof(Cases))]
    public void Pydicom_RebuildsTheLabelVolumeFrameByFrame(string kind, SegForm form)
    {
        ExternalProcess.Require(ExternalProcess.Python, "pydicom");
        var (path, seg, c) = Write(kind, form);
        var r = SegReadBack.Read(path, c);
        Assert.Empty(r.Strings("problems"));
        Assert.Equal(c.Labels, r.Labels);
        Assert.Equal(0, r.I("overlapping_voxels"));

        // The segments written are exactly those drawn somewhere; the empty one is left out.
        var drawn = Enumerable.Range(0, c.Segments.Length).Where(s => c.Labels.Contains((byte)(s + 1))).ToArray();
        Assert.True(drawn.Length < c.Segments.Length, "each case has a segment that is never drawn");
        Assert.Equal(drawn, seg.SegmentIndexes);
        var labels = r.Json.GetProperty("segments").EnumerateArray().Select(e => e.GetProperty("label").GetString()!).ToArray();
        var numbers = r.Json.GetProperty("segments").EnumerateArray().Select(e => e.GetProperty("number").GetInt32()).ToArray();
        var sliceCount = c.Series.Slices.Count;
        var sliceLength = c.Series.Volume.SliceLength;
        if (form == SegForm.Binary)
        {
            Assert.Equal(SegmentationWriter.SegmentationStorage, r.S("sop_class"));
            Assert.Equal("BINARY", r.S("segmentation_type"));
            Assert.Equal(1, r.I("bits_allocated"));
            Assert.Equal(drawn.Select(s => c.Segments[s].Label).ToArray(), labels);
            Assert.Equal(Enumerable.Range(1, drawn.Length), numbers);
            // One frame per segment per slice that holds it, none empty (read_seg reports empty frames as problems).
            var expected = drawn.Sum(s => Enumerable.Range(0, sliceCount).Count(z =>
                c.Labels.AsSpan(z * sliceLength, sliceLength).Contains((byte)(s + 1))));
            Assert.Equal(expected, r.I("frames"));
            Assert.Equal(((long)expected * sliceLength + 7) / 8 + (((long)expected * sliceLength + 7) / 8 & 1), r.I("pixel_bytes"));
            Assert.Equal(["0062000B", "0062000A"], r.Json.GetProperty("dimensions")[0].EnumerateArray().Select(e => e.GetString()));
        }
        else
        {
            Assert.Equal(SegmentationWriter.LabelMapSegmentationStorage, r.S("sop_class"));
            Assert.Equal("LABELMAP", r.S("segmentation_type"));
            Assert.Equal(8, r.I("bits_allocated"));
            Assert.Equal(0, r.I("pixel_padding"));
            Assert.Equal(["Background", .. drawn.Select(s => c.Segments[s].Label)], labels.AsEnumerable());
            Assert.Equal([0, .. drawn.Select(s => s + 1)], numbers);
            Assert.Equal(sliceCount, r.I("frames"));
            Assert.Single(r.Json.GetProperty("dimensions").EnumerateArray());
        }
        Assert.Equal(r.S("sop_class"), r.S("media_sop_class"));
        Assert.Equal(form == SegForm.LabelMap ? "1.2.840.10008.1.2.5" : "1.2.840.10008.1.2.1",
            r.S("transfer_syntax")); // the label map is RLE Lossless
        Assert.Equal("SEG", r.S("modality"));
        Assert.Equal(["DERIVED", "PRIMARY"], r.Strings("image_type"));
        Assert.Equal("00", r.S("lossy"));
        Assert.Equal("NO", r.S("segments_overlap"));
        Assert.Equal("MONOCHROME2", r.S("photometric"));

        // Source UIDs echoed; every referenced instance is a source slice, and the series lists every slice.
        Assert.Equal(c.Series.StudyInstanceUid, r.S("study_uid"));
        Assert.Equal(c.Series.FrameOfReferenceUid, r.S("frame_of_reference"));
        Assert.Equal(seg.SeriesInstanceUid, r.S("series_uid"));
        Assert.NotEqual(c.Series.SeriesInstanceUid, r.S("series_uid"));
        Assert.Equal(c.Series.SeriesInstanceUid, r.S("referenced_series"));
        var sourceUids = c.Series.Slices.Select(s => s.SopInstanceUid).ToHashSet();
        Assert.All(r.Strings("referenced"), u => Assert.Contains(u, sourceUids));
        Assert.Equal(c.Series.Slices.Select(s => s.SopInstanceUid), r.Strings("referenced_instances"));

        // Geometry: the source's orientation and spacing.
        var d = c.Series.Volume.Direction;
        var orientation = r.Json.GetProperty("orientation").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        for (var i = 0; i < 6; i++) Assert.Equal(d[i], orientation[i], 1e-9);
        var spacing = r.Json.GetProperty("pixel_spacing").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        Assert.Equal(c.Series.Volume.Spacing[1], spacing[0], 1e-9);
        Assert.Equal(c.Series.Volume.Spacing[0], spacing[1], 1e-9);

        // The model as algorithm: name and version, family Artificial Intelligence.
        var first = r.Json.GetProperty("segments")[form == SegForm.Binary ? 0 : 1];
        Assert.Equal("AUTOMATIC", first.GetProperty("algorithm_type").GetString());
        Assert.Equal("ThoraxCT", first.GetProperty("algorithm_name").GetString());
        Assert.Equal("ThoraxCT", first.GetProperty("algorithm")[0].GetString());
        Assert.Equal("1.2", first.GetProperty("algorithm")[1].GetString());
        Assert.Equal("123110", first.GetProperty("algorithm")[2][0].GetString());
    }

    [SkippableTheory]
    [MemberData(nameof(Cases))]
    public void Dciodvfy_ReportsNoErrors(string kind, SegForm form)
    {
        ExternalProcess.Require("/usr/bin/dciodvfy");
        var (path, _, _) = Write(kind, form);
        var (_, stdout, stderr) = ExternalProcess.Run("/usr/bin/dciodvfy", [path], throwOnError: false);
        var report = stdout + stderr;
        output.WriteLine(report);
        var errors = report.Split('\n').Where(l => l.StartsWith("Error")).ToList();
        if (form == SegForm.LabelMap)
        {
            // Debian's dicom3tools (2022) predates Supplement 243 (DICOM 2024c). Of a label map it says exactly two things:
            // "Information Object Not found" (it does not know the Label Map Segmentation Storage SOP Class), and, holding
            // the label map to the BINARY rule that segment numbers run 1, 2, …, that segment 0 (the background, which
            // C.8.20.2.3 requires to be described) does not start at one. Anything else is an error of ours.
            errors = errors.Where(l => l.Trim() != "Error - Information Object Not found"
                && !l.StartsWith(
                    "Error - SegmentNumber not monotonically increasing from one by one - have SegmentSequence item number 1 (from one) with " +
                    "SegmentNumber of 0")).ToList();
        }
        Assert.True(errors.Count == 0, string.Join('\n', errors));
    }

    [SkippableTheory]
    [InlineData("head-first")]
    [InlineData("feet-first")]
    [InlineData("oblique")]
    public void Pixelmed_ReportsNoErrorsForBinary(string kind)
    {
        ExternalProcess.Require("/usr/bin/java"); ExternalProcess.Require("/usr/share/java/pixelmed.jar");
        var (path, _, _) = Write(kind, SegForm.Binary);
        var (_, stdout, stderr) = ExternalProcess.Run("/usr/bin/java",
            ["-Djdk.xml.xpathExprOpLimit=0", "-Djdk.xml.xpathTotalOpLimit=0", "-Djdk.xml.xpathGroupLimit=0", "-cp",
                "/usr/share/java/pixelmed.jar:/usr/share/java/commons-codec.jar",
             "com.pixelmed.validate.DicomInstanceValidator", path], throwOnError: false);
        var report = stdout + stderr;
        output.WriteLine(report);
        Assert.DoesNotContain("Exception", report);
        var errors = report.Split('\n').Where(l => l.StartsWith("Error")).ToList();
        if (kind == "oblique")
        {
            // The synthetic source names its patient "Müller^Anna" in ISO_IR 100 (Latin-1), which the SEG copies byte for
            // byte with the SpecificCharacterSet. This pixelmed checks PN values against ASCII whatever the character
            // set (dciodvfy, which knows character sets, accepts it); that one message is not an error of ours.
            errors = errors.Where(l => !l.StartsWith("Error: PatientModule/PatientName/: PatientName/value[1]/: Illegal character(s) 'ü'")).ToList();
        }
        Assert.True(errors.Count == 0, string.Join('\n', errors));
        Assert.Contains("Found Segmentation IOD", report);
    }

    [SkippableFact]
    public void OverlappingMasks_AreKeptInBinary_AndRefusedInTheLabelMap()
    {
        ExternalProcess.Require(ExternalProcess.Python, "pydicom");
        var c = fixture.Get("head-first");
        var heart = c.Labels.Select(v => v == 4).ToArray();
        var body = c.Labels.Select(v => v != 0).ToArray();
        SegSegment[] segments = [new("Heart", 255, 0, 255), new("Body", 200, 200, 200)];
        var path = Path.Combine(fixture.Folder, $"masks-{Guid.NewGuid():N}.dcm");
        using (var file = File.Create(path))
        {
            var seg = SegmentationWriter.Write(file, [heart, body], c.Series, segments, Options, SegForm.Binary);
            Assert.Equal([0, 1], seg.SegmentIndexes);
        }
        var r = SegReadBack.Read(path, c with { Segments = segments });
        Assert.Empty(r.Strings("problems"));
        Assert.Equal("YES", r.S("segments_overlap"));
        // Frames are written segment by segment, so Body's frames come last and cover the heart's voxels.
        Assert.Equal(heart.Count(h => h), r.I("overlapping_voxels"));
        Assert.Equal(body.Select(b => b ? (byte)2 : (byte)0), r.Labels);

        var e = Assert.Throws<SegmentOverlapException>(() =>
            SegmentationWriter.Build([heart, body], c.Series, segments, Options, SegForm.LabelMap));
        Assert.Equal("SegmentsOverlap", e.Code);
        Assert.Equal((0, 1), (e.FirstSegment, e.SecondSegment));
        Assert.True(heart[e.Z * c.Series.Volume.SliceLength + e.Y * c.Series.Volume.SizeX + e.X]);
    }

    [SkippableTheory]
    // Feet first: 96×80 frames, whole bytes; oblique: 41×33 frames, which end inside a byte.
    [InlineData("feet-first", SegForm.LabelMap)]
    [InlineData("feet-first", SegForm.Binary)]
    [InlineData("oblique", SegForm.Binary)]
    public void DisjointMasks_WriteWhatTheLabelsWrite(string kind, SegForm form)
    {
        ExternalProcess.Require(ExternalProcess.Python, "pydicom");
        var c = fixture.Get(kind);
        var masks = Enumerable.Range(0, c.Segments.Length).Select(s => c.Labels.Select(v => v == s + 1).ToArray()).ToArray();
        var fromMasks = SegmentationWriter.Build(masks, c.Series, c.Segments, Options, form);
        var fromLabels = SegmentationWriter.Build(c.Labels, c.Series, c.Segments, Options, form);
        Assert.Equal(fromLabels.SegmentNumbers, fromMasks.SegmentNumbers);
        Assert.Equal(fromLabels.Frames, fromMasks.Frames);
        var path = Path.Combine(fixture.Folder, $"disjoint-{Guid.NewGuid():N}.dcm");
        File.WriteAllBytes(path, fromMasks.ToBytes());
        var r = SegReadBack.Read(path, c);
        Assert.Empty(r.Strings("problems"));
        Assert.Equal(c.Labels, r.Labels);
    }

    [Fact]
    public void Segments_CarryTheirCodesAndColours()
    {
        var c = fixture.Get("head-first");
        var custom = new SegmentCode(new SegCode("49755003", "SCT", "Morphologically Abnormal Structure"),
            new SegCode("108369006", "SCT", "Neoplasm"));
        SegSegment[] segments = [.. c.Segments.Take(5), new("Liver", 1, 2, 3, custom)];
        var seg = SegmentationWriter.Build(c.Labels, c.Series, segments, Options, SegForm.Binary);
        Assert.Equal([0, 1, 2, 3, 4], seg.SegmentIndexes);
        Assert.Equal(SegmentCodes.For(segments[5]), custom);
        Assert.Equal("80891009", SegmentCodes.For(segments[3]).Type.Value);
        Assert.Equal(new SegCode("7771000", "SCT", "Left"), SegmentCodes.For(segments[2]).TypeModifier);
        Assert.Equal(new SegCode("24028007", "SCT", "Right"), SegmentCodes.For(segments[1]).TypeModifier);
        Assert.Equal("39607008", SegmentCodes.For(segments[1]).Type.Value);
        Assert.Equal(SegmentCodes.Unknown, SegmentCodes.For(new SegSegment("PTV_High", 1, 1, 1)));
        Assert.Equal("123037004", SegmentCodes.For(new SegSegment("spinalcord", 1, 1, 1)).Category.Value);
    }

    [Fact]
    public void Labels_OutOfRange_AndBadOptions_AreRefused()
    {
        var c = fixture.Get("oblique");
        var labels = (byte[])c.Labels.Clone();
        labels[5] = 9;
        Assert.Throws<ArgumentException>(() => SegmentationWriter.Build(labels, c.Series, c.Segments, Options, SegForm.Binary));
        Assert.Throws<ArgumentException>(() => SegmentationWriter.Build(c.Labels[1..], c.Series, c.Segments, Options, SegForm.Binary));
        Assert.Throws<ArgumentException>(() => SegmentationWriter.Build(c.Labels, c.Series, c.Segments, Options with { ContentLabel = "lower case" },
            SegForm.Binary));
        Assert.Throws<ArgumentException>(() => SegmentationWriter.Build(c.Labels, c.Series, c.Segments, Options with { AlgorithmVersion = "" },
            SegForm.Binary));
    }
}
