using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using InnerEye.Imaging.Contours;
using InnerEye.Imaging.Dicom;
using InnerEye.Imaging.Rt;
using InnerEye.Imaging.Series;
using InnerEye.Imaging.Tests.Support;
using Xunit.Abstractions;

namespace InnerEye.Imaging.Tests.Rt;

public sealed class RtStructureSetWriterTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "rt-tests-" + Guid.NewGuid().ToString("N"));

    private static readonly DateTime Now = new(2024, 5, 6, 7, 8, 9);

    private static readonly RtWriteOptions Options =
        new("Default_Manufacturer", "Default_Interpreter", "PassThroughModel:1729", "", "", Now: Now);

    public void Dispose()
    {
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }

    private sealed record Written(LoadedSeries Series, byte[] Labels, IReadOnlyList<RtStructure> Structures, RtStructureSet Set,
        byte[] Bytes, string Path);

    private Written Write(string kind, IReadOnlyList<RtStructure>? structures = null, RtWriteOptions? options = null, string? name = null)
    {
        structures ??= RtTestData.Structures;
        name ??= kind;
        var folder = Path.Combine(_root, name);
        var series = SyntheticCtSeries.WriteAndLoad(RtTestData.Spec(kind), folder);
        var labels = RtTestData.Labels(series.Volume);
        var set = RtStructureSetWriter.Build(labels, series, structures, options ?? Options);
        var bytes = set.ToBytes();
        var path = Path.Combine(_root, name + ".dcm");
        using (var file = File.Create(path)) set.WriteTo(file);
        Assert.Equal(bytes.Length, new FileInfo(path).Length);
        return new Written(series, labels, structures, set, bytes, path);
    }

    [SkippableTheory]
    [MemberData(nameof(RtTestData.Kinds), MemberType = typeof(RtTestData))]
    public void ReadingBackAndRasterizingRecoversEveryMask(string kind)
    {
        var w = Write(kind);
        var volume = w.Series.Volume;
        var contours = RtTestData.ReadContours(DicomReader.Read(w.Bytes));
        var sliceOf = w.Series.Slices.Select((s, k) => (s.SopInstanceUid, k)).ToDictionary(p => p.SopInstanceUid, p => p.k);
        var inverse = RtTestData.InverseGeometry(volume);
        var drawn = 0;
        for (var s = 0; s < w.Structures.Count; s++)
        {
            for (var z = 0; z < volume.SizeZ; z++)
            {
                var onSlice = contours.Where(c => c.RoiNumber == s + 1 && sliceOf[c.ImageUid] == z).ToList();
                var expected = RtTestData.ExpectedMask(w.Labels, volume, w.Structures, s, z);
                var actual = RtTestData.Rasterize(onSlice, volume, z, inverse);
                Assert.True(expected.AsSpan().SequenceEqual(actual), $"{kind}: structure {w.Structures[s].Name} differs on slice {z}");
                drawn += expected.Count(b => b != 0);
            }
        }
        Assert.True(drawn > 100);
        Assert.All(contours, c => Assert.Equal("CLOSED_PLANAR", c.Type));
        Assert.All(contours, c => Assert.Equal(c.Points * 3, c.Data.Length));
    }

    [SkippableFact]
    public void HolesAreJoinedToTheirRimSoEveryContourIsAnOuterBoundary()
    {
        var w = Write("axial");
        var volume = w.Series.Volume;
        var contours = RtTestData.ReadContours(DicomReader.Read(w.Bytes));
        var inverse = RtTestData.InverseGeometry(volume);
        double Area(RtTestData.ReadContour c)
        {
            // Signed area in pixel coordinates: positive for outer boundaries (see Contour2D).
            double area = 0;
            for (var p = 0; p < c.Points; p++)
            {
                var q = (p + 1) % c.Points;
                var (x0, y0, _) = inverse(c.Data[3 * p], c.Data[3 * p + 1], c.Data[3 * p + 2]);
                var (x1, y1, _) = inverse(c.Data[3 * q], c.Data[3 * q + 1], c.Data[3 * q + 2]);
                area += x0 * y1 - x1 * y0;
            }
            return area / 2;
        }
        Assert.All(contours, c => Assert.True(Area(c) > 0, $"ROI {c.RoiNumber} has a contour running the wrong way"));
        // Ring with an island: per slice the rim with its hole joined in (one polygon), and the island inside the hole.
        var sliceUid = w.Series.Slices[2].SopInstanceUid;
        var ring = contours.Where(c => c.RoiNumber == 2 && c.ImageUid == sliceUid).ToList();
        Assert.Equal(2, ring.Count);
        var expected = RtTestData.ExpectedMask(w.Labels, volume, w.Structures, 1, 2);
        Assert.Equal(expected.Count(b => b != 0), ring.Sum(Area), 6);
        Assert.Equal(1, contours.Count(c => c.RoiNumber == 3 && c.ImageUid == sliceUid));
    }

    [SkippableFact]
    public void AllFillHolesAndNoFillHolesStructureListsRoundTrip()
    {
        foreach (var fill in new[] { true, false })
        {
            var structures = RtTestData.Structures.Select(s => s with { FillHoles = fill }).ToArray();
            var w = Write("oblique", structures, name: "oblique-" + fill);
            var volume = w.Series.Volume;
            var contours = RtTestData.ReadContours(DicomReader.Read(w.Bytes));
            var inverse = RtTestData.InverseGeometry(volume);
            for (var s = 0; s < structures.Length; s++)
            {
                for (var z = 0; z < volume.SizeZ; z++)
                {
                    var uid = w.Series.Slices[z].SopInstanceUid;
                    var actual = RtTestData.Rasterize(contours.Where(c => c.RoiNumber == s + 1 && c.ImageUid == uid), volume, z, inverse);
                    Assert.True(RtTestData.ExpectedMask(w.Labels, volume, structures, s, z).AsSpan().SequenceEqual(actual),
                        $"fill={fill} structure {s} slice {z}");
                }
            }
        }
    }

    [SkippableTheory]
    [MemberData(nameof(RtTestData.Kinds), MemberType = typeof(RtTestData))]
    public void EveryContourDataValueIsADecimalStringOfAtMostSixteenCharacters(string kind)
    {
        var w = Write(kind);
        var contours = RtTestData.ReadContours(DicomReader.Read(w.Bytes));
        Assert.NotEmpty(contours);
        var ds = new Regex(@"^-?\d+\.\d{3}$");
        foreach (var c in contours)
        {
            Assert.Equal(c.Points * 3, c.RawValues.Length);
            Assert.All(c.RawValues, v =>
            {
                Assert.InRange(v.Length, 1, 16);
                Assert.Matches(ds, v);
            });
        }
        if (kind == "far") Assert.Contains(contours, c => c.RawValues.Any(v => v.StartsWith("-99")));
    }

    [SkippableTheory]
    [MemberData(nameof(RtTestData.Kinds), MemberType = typeof(RtTestData))]
    public void Dciodvfy_ReportsNoErrors(string kind)
    {
        ExternalProcess.Require("/usr/bin/dciodvfy");
        // Every optional value filled in, as the pipeline writes them.
        var w = Write(kind, options: Options with
        {
            StructureSetLabel = "PassThroughModel:1729",
            StructureSetName = "Pass-through test model (nested squares in every slice)",
            RoiGenerationDescription = "PassThroughModel:1729",
            SeriesDescription = "Pass-through test model",
        });
        var (_, stdout, stderr) = ExternalProcess.Run("/usr/bin/dciodvfy", [w.Path], throwOnError: false);
        var report = stdout + stderr;
        output.WriteLine(report);
        // The gateway's hashed UIDs are digits without a root; echoing them is required, so that error is expected
        // for exactly those values and nothing else.
        var copiedHashes = w.Series.Slices.Select(s => s.SopInstanceUid)
            .Concat([w.Series.StudyInstanceUid, w.Series.SeriesInstanceUid, w.Series.FrameOfReferenceUid])
            .Where(u => !u.Contains('.')).ToHashSet();
        var errors = report.Split('\n').Where(l => l.StartsWith("Error")).Where(l =>
        {
            var m = Regex.Match(l, "^Error - Illegal root for UID - \"([0-9]+)\"");
            return !(m.Success && copiedHashes.Contains(m.Groups[1].Value));
        }).ToList();
        Assert.True(errors.Count == 0, string.Join('\n', errors));
        if (kind == "hashed") Assert.Contains("Illegal root for UID", report);
    }

    [SkippableTheory]
    [MemberData(nameof(RtTestData.Kinds), MemberType = typeof(RtTestData))]
    public void Dcmdump_ReadsTheFile(string kind)
    {
        ExternalProcess.Require("dcmdump");
        var w = Write(kind);
        var (code, stdout, stderr) = ExternalProcess.Run("dcmdump", ["+L", w.Path], throwOnError: false);
        Assert.True(code == 0, stderr);
        Assert.DoesNotContain("E:", stderr);
        Assert.DoesNotContain("W:", stderr);
        Assert.Contains("(0008,0060) CS [RTSTRUCT]", stdout);
        Assert.Contains("Little Endian Implicit", stdout);
        Assert.Equal(w.Set.ContourCounts.Sum(), Regex.Matches(stdout, @"\(3006,0050\) DS").Count);
    }

    [SkippableTheory]
    [MemberData(nameof(RtTestData.Kinds), MemberType = typeof(RtTestData))]
    public void Pydicom_ReadsRoisColoursContoursAndReferences(string kind)
    {
        ExternalProcess.Require(ExternalProcess.Python, "pydicom");
        var w = Write(kind);
        var (_, json, _) = ExternalProcess.RunPythonTool("read_rtstruct.py", w.Path);
        var r = JsonDocument.Parse(json).RootElement;
        string S(string name) => r.GetProperty(name).GetString()!;

        // File layout: nothing after the data set, defined lengths, sorted top level, implicit VR.
        Assert.Equal(w.Bytes.Length, r.GetProperty("file_size").GetInt32());
        Assert.Equal(w.Bytes.Length, r.GetProperty("pydicom_end").GetInt32());
        Assert.Equal(w.Bytes.Length, r.GetProperty("walk_end").GetInt32());
        Assert.False(r.GetProperty("undefined_length").GetBoolean());
        Assert.True(r.GetProperty("top_level_sorted").GetBoolean());
        Assert.True(r.GetProperty("preamble_zero").GetBoolean());
        Assert.Equal("DICM", S("magic"));
        Assert.True(r.GetProperty("is_implicit_vr").GetBoolean());
        Assert.Equal("1.2.840.10008.1.2", S("transfer_syntax"));
        Assert.Equal(RtStructureSetWriter.RtStructureSetStorage, S("sop_class"));
        Assert.Equal(S("sop_class"), S("media_sop_class"));
        Assert.Equal(S("sop_instance"), S("media_sop_instance"));
        Assert.Equal(w.Set.SopInstanceUid, S("sop_instance"));
        Assert.Equal(w.Set.SeriesInstanceUid, S("series_instance_uid"));
        Assert.Equal(DicomWriter.ImplementationClassUid, S("implementation_class_uid"));

        // Contents RTConvert writes.
        Assert.Equal("RTSTRUCT", S("modality"));
        Assert.Equal("Default_Manufacturer", S("manufacturer"));
        Assert.Equal("PassThroughModel:1729", S("software_versions"));
        Assert.Equal("InnerEye", S("structure_set_label"));
        Assert.Equal("", S("structure_set_name"));
        Assert.Equal("", S("series_description"));

        // References echo the source series' UIDs unchanged.
        var series = w.Series;
        Assert.Equal(series.StudyInstanceUid, S("study_instance_uid"));
        Assert.Equal(series.StudyInstanceUid, S("referenced_study_instance"));
        Assert.Equal(RtStructureSetWriter.ReferencedStudySopClassUid, S("referenced_study_class"));
        Assert.Equal(series.SeriesInstanceUid, S("referenced_series"));
        Assert.Equal(series.FrameOfReferenceUid, S("frame_of_reference_uid"));
        Assert.Equal(series.Slices.Select(s => s.SopInstanceUid), r.GetProperty("contour_images").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal([SyntheticCtSeries.CtImageStorage], r.GetProperty("contour_image_classes").EnumerateArray().Select(e => e.GetString()));
        var sliceUids = series.Slices.Select(s => s.SopInstanceUid).ToHashSet();

        Assert.Equal([5, 5, 5], r.GetProperty("roi_counts").EnumerateArray().Select(e => e.GetInt32()));
        var rois = r.GetProperty("rois").EnumerateArray().ToList();
        for (var i = 0; i < rois.Count; i++)
        {
            var roi = rois[i];
            var structure = w.Structures[i];
            Assert.Equal(i + 1, roi.GetProperty("number").GetInt32());
            Assert.Equal(i + 1, roi.GetProperty("contour_roi_number").GetInt32());
            Assert.Equal(i + 1, roi.GetProperty("observation_roi_number").GetInt32());
            Assert.Equal(i, roi.GetProperty("observation_number").GetInt32());
            Assert.Equal(structure.Name, roi.GetProperty("name").GetString());
            Assert.Equal(series.FrameOfReferenceUid, roi.GetProperty("referenced_frame").GetString());
            Assert.Equal("AUTOMATIC", roi.GetProperty("algorithm").GetString());
            Assert.Equal([structure.R, structure.G, structure.B], roi.GetProperty("color").EnumerateArray().Select(e => e.GetInt32()));
            Assert.Equal(structure.InterpretedType == "None" ? "" : structure.InterpretedType, roi.GetProperty("interpreted_type").GetString());
            Assert.Equal("^Default Interpreter", roi.GetProperty("interpreter").GetString());

            // Contours: the tracer's polygons, slice by slice, with their vertex counts.
            var expected = new List<int>();
            for (var z = 0; z < series.Volume.SizeZ; z++)
            {
                var slice = w.Labels.AsSpan(z * series.Volume.SliceLength, series.Volume.SliceLength);
                var traced = ContourTracer.Trace(slice, series.Volume.SizeX, series.Volume.SizeY, (byte)(i + 1), structure.FillHoles);
                expected.AddRange((structure.FillHoles ? traced : HoleSplicer.Splice(traced)).Select(c => c.VertexCount));
            }
            var contours = roi.GetProperty("contours").EnumerateArray().ToList();
            Assert.Equal(expected, contours.Select(c => c.GetProperty("points").GetInt32()));
            Assert.Equal(expected.Count, w.Set.ContourCounts[i]);
            Assert.Equal(expected.Count > 0, roi.GetProperty("has_contour_sequence").GetBoolean());
            Assert.Equal(Enumerable.Range(1, contours.Count), contours.Select(c => c.GetProperty("number").GetInt32()));
            foreach (var c in contours)
            {
                Assert.Equal(3 * c.GetProperty("points").GetInt32(), c.GetProperty("values").GetInt32());
                Assert.Equal("CLOSED_PLANAR", c.GetProperty("type").GetString());
                var image = Assert.Single(c.GetProperty("images").EnumerateArray());
                Assert.Contains(image.GetString()!, sliceUids);
                Assert.Equal(SyntheticCtSeries.CtImageStorage, Assert.Single(c.GetProperty("image_classes").EnumerateArray()).GetString());
            }
        }
    }

    [SkippableFact]
    public void HashedGatewayUidsAreEchoedByteForByte()
    {
        var w = Write("hashed");
        var series = w.Series;
        Assert.All(new[] { series.StudyInstanceUid, series.SeriesInstanceUid,
            series.FrameOfReferenceUid }.Concat(series.Slices.Select(s => s.SopInstanceUid)),
            u => Assert.Matches("^1[0-9]{63}$", u));
        var ds = DicomReader.Read(w.Bytes).Dataset;
        Assert.Equal(System.Text.Encoding.ASCII.GetBytes(series.StudyInstanceUid), ds.ValueBytes(DicomTags.StudyInstanceUID).ToArray());
        var frame = Assert.Single(ds.Items(DicomTags.ReferencedFrameOfReferenceSequence));
        Assert.Equal(System.Text.Encoding.ASCII.GetBytes(series.FrameOfReferenceUid), frame.ValueBytes(DicomTags.FrameOfReferenceUID).ToArray());
        var study = Assert.Single(frame.Items(DicomTags.RTReferencedStudySequence));
        Assert.Equal(series.StudyInstanceUid, study.GetString(DicomTags.ReferencedSOPInstanceUID));
        var referenced = Assert.Single(study.Items(DicomTags.RTReferencedSeriesSequence));
        Assert.Equal(series.SeriesInstanceUid, referenced.GetString(DicomTags.SeriesInstanceUID));
        foreach (var roi in ds.Items(DicomTags.StructureSetROISequence))
            Assert.Equal(series.FrameOfReferenceUid, roi.GetString(DicomTags.ReferencedFrameOfReferenceUID));
        // New UIDs are the writer's own, in the 2.25 form.
        Assert.StartsWith("2.25.", ds.GetString(DicomTags.SOPInstanceUID));
        Assert.StartsWith("2.25.", ds.GetString(DicomTags.SeriesInstanceUID));
        Assert.True(UidGenerator.IsValid(ds.GetString(DicomTags.SOPInstanceUID)));
    }

    [SkippableFact]
    public void TopLevelAttributesAreRtConvertsPlusTheFrameOfReferenceModule()
    {
        var w = Write("axial");
        var file = DicomReader.Read(w.Bytes);
        var ds = file.Dataset;
        string[] expected =
        [
            "SpecificCharacterSet", "SOPClassUID", "SOPInstanceUID", "StudyDate", "SeriesDate", "StudyTime", "SeriesTime",
            "AccessionNumber", "Modality", "Manufacturer", "ReferringPhysicianName", "StudyDescription", "SeriesDescription",
            "OperatorsName", "PatientName", "PatientID", "PatientBirthDate", "PatientSex", "SoftwareVersions",
            "StudyInstanceUID", "SeriesInstanceUID", "StudyID", "SeriesNumber", "InstanceNumber", "FrameOfReferenceUID",
            "PositionReferenceIndicator", "StructureSetLabel", "StructureSetName", "StructureSetDescription",
            "StructureSetDate", "StructureSetTime", "ReferencedFrameOfReferenceSequence", "StructureSetROISequence",
            "ROIContourSequence", "RTROIObservationsSequence",
        ];
        Assert.Equal(expected, ds.Elements.Select(e => DicomDictionary.KeywordOf(e.Tag)));
        Assert.Equal(TransferSyntax.ImplicitVRLittleEndian.Uid, file.TransferSyntax.Uid);

        // Every top-level attribute is either one RTConvert writes or one the source CT has.
        var source = DicomReader.ReadFile(Directory.GetFiles(Path.Combine(_root, "axial", "ct"))[0]).Dataset;
        Assert.All(ds.Elements.Where(e => !source.Contains(e.Tag)), e => Assert.Contains(DicomDictionary.KeywordOf(e.Tag), new[]
        {
            "SOPClassUID", "SOPInstanceUID", "SeriesDate", "SeriesTime", "SeriesDescription", "OperatorsName", "SoftwareVersions",
            "StructureSetLabel", "StructureSetName", "StructureSetDescription", "StructureSetDate", "StructureSetTime",
            "ReferencedFrameOfReferenceSequence", "StructureSetROISequence", "ROIContourSequence", "RTROIObservationsSequence",
        }));
        // Patient and study attributes are the source's bytes.
        foreach (var tag in new[] { DicomTags.PatientName, DicomTags.PatientID, DicomTags.PatientBirthDate, DicomTags.PatientSex,
                     DicomTags.StudyDate, DicomTags.StudyTime, DicomTags.AccessionNumber, DicomTags.ReferringPhysicianName,
                     DicomTags.StudyDescription, DicomTags.StudyID, DicomTags.SpecificCharacterSet, DicomTags.StudyInstanceUID,
                     DicomTags.FrameOfReferenceUID, DicomTags.PositionReferenceIndicator })
        {
            Assert.True(source.ValueBytes(tag).SequenceEqual(ds.ValueBytes(tag)), DicomDictionary.KeywordOf(tag));
        }

        Assert.Equal("Müller^Anna", ds.GetString(DicomTags.PatientName));

        Assert.Equal("RTSTRUCT", ds.GetString(DicomTags.Modality));
        Assert.Equal("20240506", ds.GetString(DicomTags.SeriesDate));
        Assert.Equal("070809", ds.GetString(DicomTags.SeriesTime));
        Assert.Equal("20240506", ds.GetString(DicomTags.StructureSetDate));
        Assert.Equal("070809", ds.GetString(DicomTags.StructureSetTime));
        Assert.Equal("InnerEye", ds.GetString(DicomTags.StructureSetLabel));
        Assert.Equal("9001", ds.GetString(DicomTags.SeriesNumber));
        Assert.Equal(1, ds.GetInt32(DicomTags.InstanceNumber));
        Assert.Equal("", ds.GetString(DicomTags.OperatorsName));
        Assert.Equal("", ds.GetString(DicomTags.StructureSetDescription));
        Assert.Equal(ds.GetString(DicomTags.SOPInstanceUID), file.Meta!.GetString(DicomTags.MediaStorageSOPInstanceUID));
        Assert.NotEqual(w.Series.SeriesInstanceUid, ds.GetString(DicomTags.SeriesInstanceUID));
        Assert.Equal(w.Set.SeriesInstanceUid, ds.GetString(DicomTags.SeriesInstanceUID));
    }

    [SkippableFact]
    public void PatientAndStudyAttributesTheSourceLacksAreWrittenEmpty()
    {
        var w = Write("hashed", options: Options with { StructureSetLabel = "Label", SeriesDescription = "NOT FOR CLINICAL USE" });
        var ds = DicomReader.Read(w.Bytes).Dataset;
        foreach (var tag in new[] { DicomTags.PatientName, DicomTags.PatientID, DicomTags.PatientBirthDate, DicomTags.PatientSex,
                     DicomTags.StudyDate, DicomTags.StudyTime, DicomTags.AccessionNumber, DicomTags.ReferringPhysicianName,
                     DicomTags.StudyID, DicomTags.PositionReferenceIndicator })
        {
            Assert.True(ds.TryGet(tag, out var e), DicomDictionary.KeywordOf(tag));
            Assert.Equal(0, e.Length);
        }
        Assert.False(ds.Contains(DicomTags.StudyDescription));
        Assert.False(ds.Contains(DicomTags.SpecificCharacterSet));
        Assert.Equal("Label", ds.GetString(DicomTags.StructureSetLabel));
        Assert.Equal("NOT FOR CLINICAL USE", ds.GetString(DicomTags.SeriesDescription));
    }

    /// <summary>
    /// The model's identity goes where the IOD has room for it: StructureSetLabel (SH) the model id cut to its first 16
    /// characters, StructureSetName (LO) the display name cut to 64, each ROI's ROIGenerationDescription (LO) the model
    /// and version, ROIGenerationAlgorithm AUTOMATIC; ROIInterpreter a person name.
    /// </summary>
    [SkippableFact]
    public void TheModelIsNamedWhereTheIodAllows()
    {
        var displayName = "Pass-through test model (nested squares in every slice), seventy characters";
        var w = Write("axial", options: Options with
        {
            StructureSetLabel = "PassThroughModel:1729",
            StructureSetName = displayName,
            RoiGenerationDescription = "PassThroughModel:1729",
            Interpreter = "InnerEye",
        });
        var ds = DicomReader.Read(w.Bytes).Dataset;
        Assert.Equal("PassThroughModel", ds.GetString(DicomTags.StructureSetLabel));
        Assert.Equal(displayName[..64].TrimEnd(), ds.GetString(DicomTags.StructureSetName));
        Assert.Equal("PassThroughModel:1729", ds.GetString(DicomTags.SoftwareVersions));
        Assert.All(ds.Items(DicomTags.StructureSetROISequence), roi =>
        {
            Assert.Equal("AUTOMATIC", roi.GetString(DicomTags.ROIGenerationAlgorithm));
            Assert.Equal("PassThroughModel:1729", roi.GetString(DicomTags.ROIGenerationDescription));
        });
        Assert.All(ds.Items(DicomTags.RTROIObservationsSequence), o => Assert.Equal("^InnerEye", o.GetString(DicomTags.ROIInterpreter)));

        // Without a description the Type 3 attribute is left out; a short label is written as given.
        var plain = DicomReader.Read(Write("axial", options: Options with { StructureSetLabel = "ThoraxCT:1" }, name: "plain").Bytes).Dataset;
        Assert.Equal("ThoraxCT:1", plain.GetString(DicomTags.StructureSetLabel));
        Assert.Equal("", plain.GetString(DicomTags.StructureSetName));
        Assert.All(plain.Items(DicomTags.StructureSetROISequence), roi => Assert.False(roi.Contains(DicomTags.ROIGenerationDescription)));
    }

    [SkippableTheory]
    [InlineData("InnerEye", "^InnerEye")]
    [InlineData("Default_Interpreter", "^Default Interpreter")]
    [InlineData(" nnU-Net ", "^nnU-Net")]
    [InlineData("Doe^Jane", "Doe^Jane")]
    [InlineData("^InnerEye", "^InnerEye")]
    [InlineData("Doe^Jane=^=", "Doe^Jane=^=")]
    [InlineData("", "")]
    [InlineData(null, "")]
    public void TheInterpreterIsWrittenAsAPersonName(string? configured, string expected) =>
        Assert.Equal(expected, RtStructureSetWriter.InterpreterName(configured));

    [SkippableFact]
    public void AnEmptyStructureIsListedInAllThreeSequencesWithoutContours()
    {
        var w = Write("axial");
        var ds = DicomReader.Read(w.Bytes).Dataset;
        var empty = Array.FindIndex(w.Structures.ToArray(), s => s.Name == "Empty");
        Assert.Equal(0, w.Set.ContourCounts[empty]);
        var roi = ds.Items(DicomTags.StructureSetROISequence)[empty];
        Assert.Equal("Empty", roi.GetString(DicomTags.ROIName));
        Assert.Equal(empty + 1, roi.GetInt32(DicomTags.ROINumber));
        var contour = ds.Items(DicomTags.ROIContourSequence)[empty];
        Assert.Equal(empty + 1, contour.GetInt32(DicomTags.ReferencedROINumber));
        Assert.Equal("10\\20\\30", contour.GetString(DicomTags.ROIDisplayColor));
        Assert.False(contour.Contains(DicomTags.ContourSequence));
        var observation = ds.Items(DicomTags.RTROIObservationsSequence)[empty];
        Assert.Equal(empty + 1, observation.GetInt32(DicomTags.ReferencedROINumber));
        Assert.Equal(empty, observation.GetInt32(DicomTags.ObservationNumber));
        Assert.Equal("", observation.GetString(DicomTags.RTROIInterpretedType));
        Assert.All(ds.Items(DicomTags.ROIContourSequence).Where((_, i) => i != empty), c => Assert.NotEmpty(c.Items(DicomTags.ContourSequence)));
    }

    [SkippableFact]
    public void BadInputIsRefusedBeforeAnythingIsWritten()
    {
        var folder = Path.Combine(_root, "bad");
        var series = SyntheticCtSeries.WriteAndLoad(RtTestData.Spec("axial"), folder);
        var labels = RtTestData.Labels(series.Volume);
        Assert.Throws<ArgumentException>(() => RtStructureSetWriter.Build(labels[1..], series, RtTestData.Structures, Options));
        Assert.Throws<ArgumentException>(() => RtStructureSetWriter.Build(labels, series, RtTestData.Structures[..4], Options));
        Assert.Throws<ArgumentException>(() => RtStructureSetWriter.Build(labels, series, [], Options));
        Assert.Throws<ArgumentException>(() => RtStructureSetWriter.Build(labels, series,
            [.. RtTestData.Structures[..4], RtTestData.Structures[4] with { Name = new string('x', 65) }], Options));
        Assert.Throws<ArgumentException>(() => RtStructureSetWriter.Build(labels, series, RtTestData.Structures,
            Options with { SoftwareVersions = "a\\b" }));
        Assert.Throws<ArgumentException>(() => RtStructureSetWriter.Build(labels, series, RtTestData.Structures,
            Options with { StructureSetLabel = "two\\values" }));
        Assert.Throws<ArgumentException>(() => RtStructureSetWriter.Build(labels, series, RtTestData.Structures,
            Options with { Interpreter = "a^b^c^d^e^f" }));
        Assert.Throws<ArgumentException>(() => RtStructureSetWriter.Build(labels, series, RtTestData.Structures,
            Options with { Interpreter = "a=b=c=d" }));
        Assert.Throws<ArgumentException>(() => RtStructureSetWriter.Build(labels, series, RtTestData.Structures,
            Options with { RoiGenerationAlgorithm = "automatic" }));
    }

    [SkippableFact]
    public void A512x512x200VolumeWithFiveStructuresIsWrittenQuickly()
    {
        const int size = 512, depth = 200;
        var shared = new float[size * size];
        var volume = new ImageVolume(size, size, [0.977, 0.977, 2.5], [-250, -250, -400], [1, 0, 0, 0, 1, 0, 0, 0, 1],
            Enumerable.Repeat(shared, depth).ToArray());
        var slices = Enumerable.Range(0, depth).Select(k => new SliceReference(SyntheticCtSeries.CtImageStorage, $"1.2.3.4.{k + 1}",
            [-250, -250, -400 + 2.5 * k], $"ct/{k}")).ToList();
        var series = new LoadedSeries("ct", "1.2.3.5", "1.2.3.6", "1.2.3.7", "CT", slices, [TransferSyntax.ImplicitVRLittleEndian.Uid], [], volume);
        // PassThroughModel's output: nested 3-pixel square rings, tiled per 224-pixel patch, on every slice.
        var labels = new byte[size * size * depth];
        for (var y = 0; y < size; y++)
        {
            for (var x = 0; x < size; x++)
            {
                int dx = Math.Abs(x % 224 - 112), dy = Math.Abs(y % 224 - 112), r = Math.Max(dx, dy);
                labels[y * size + x] = r <= 3 ? (byte)1 : r <= 15 ? (byte)(2 + (r - 4) / 3) : (byte)0;
            }
        }

        for (var z = 1; z < depth; z++) labels.AsSpan(0, size * size).CopyTo(labels.AsSpan(z * size * size));
        var structures = new[] { "SpinalCord", "Lung_R", "Lung_L", "Heart", "Esophagus" }
            .Select((n, i) => new RtStructure(n, (byte)(i * 50), 100, 200, "ORGAN", false)).ToArray();

        var watch = Stopwatch.StartNew();
        var set = RtStructureSetWriter.Build(labels, series, structures, Options);
        using var stream = new MemoryStream();
        set.WriteTo(stream);
        watch.Stop();
        output.WriteLine($"{stream.Length:N0} bytes, {set.ContourCounts.Sum():N0} contours in {watch.ElapsedMilliseconds} ms");
        Assert.All(set.ContourCounts, c => Assert.True(c >= depth));
        Assert.Equal(DicomWriter.FileLength(set.Dataset), stream.Length);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30), $"took {watch.Elapsed}");
    }
}
