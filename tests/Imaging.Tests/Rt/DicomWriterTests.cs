using System.Buffers.Binary;
using System.Globalization;
using InnerEye.Imaging.Dicom;
using InnerEye.Imaging.Rt;
using InnerEye.Imaging.Tests.Support;

namespace InnerEye.Imaging.Tests.Rt;

public sealed class DicomWriterTests
{
    private static readonly DicomTag PrivateCreator = new(0x0009, 0x0010);
    private static readonly DicomTag RegionFlags = new(0x0018, 0x6016);

    private static DicomDatasetBuilder Sample() => new DicomDatasetBuilder()
        // Added out of order on purpose.
        .Add(DicomTags.PatientName, DicomVR.PN, "Doe^Jo")                       // odd: space padded
        .Add(DicomTags.SOPInstanceUID, DicomVR.UI, "1.2.3.456")                  // odd: NUL padded
        .Add(DicomTags.SOPClassUID, DicomVR.UI, "1.2.840.10008.5.1.4.1.1.481.3")
        .Add(DicomTags.ImageType, DicomVR.CS, "DERIVED", "SECONDARY")
        .AddUInt16(DicomTags.Rows, 512)
        .AddUInt32(RegionFlags, 0x01020304)
        .AddBytes(DicomTags.PatientID, DicomVR.LO, "ABC"u8.ToArray())             // raw, odd: padded
        .AddBytes(PrivateCreator, DicomVR.LO, "ODDLY"u8.ToArray())
        .AddSequence(DicomTags.ReferencedFrameOfReferenceSequence,
            new DicomDatasetBuilder().Add(DicomTags.FrameOfReferenceUID, DicomVR.UI, "1.2.3")
                .AddSequence(DicomTags.RTReferencedStudySequence,
                    new DicomDatasetBuilder().Add(DicomTags.ReferencedSOPInstanceUID, DicomVR.UI, "1.2.4"),
                    new DicomDatasetBuilder()),
            new DicomDatasetBuilder().Add(DicomTags.FrameOfReferenceUID, DicomVR.UI, "1.2.5"))
        .AddSequence(DicomTags.StructureSetROISequence);

    [SkippableTheory]
    [InlineData(false)]
    [InlineData(true)]
    public void WritesAPart10FileOurReaderReadsBack(bool explicitVR)
    {
        var syntax = explicitVR ? TransferSyntax.ExplicitVRLittleEndian : TransferSyntax.ImplicitVRLittleEndian;
        var bytes = DicomWriter.WriteFile(Sample(), syntax);
        Assert.Equal(DicomWriter.FileLength(Sample(), syntax), bytes.Length);
        Assert.True(bytes.AsSpan(0, 128).IndexOfAnyExcept((byte)0) < 0);
        Assert.Equal("DICM"u8.ToArray(), bytes[128..132]);
        // (0002,0000) UL, explicit VR, then the group's length in bytes.
        Assert.Equal([0x02, 0x00, 0x00, 0x00, (byte)'U', (byte)'L', 4, 0], bytes[132..140]);
        var groupLength = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(140));
        var datasetStart = 144 + (int)groupLength;
        Assert.Equal(0x0008, BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(datasetStart)));
        Assert.Equal(0x0008, BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(datasetStart + 2))); // ImageType first

        var file = DicomReader.Read(bytes);
        Assert.Equal(syntax.Uid, file.TransferSyntax.Uid);
        var meta = file.Meta!;
        Assert.Equal([0, 1], meta.ValueBytes(DicomTags.FileMetaInformationVersion).ToArray());
        Assert.Equal("1.2.840.10008.5.1.4.1.1.481.3", meta.GetString(DicomTags.MediaStorageSOPClassUID));
        Assert.Equal("1.2.3.456", meta.GetString(DicomTags.MediaStorageSOPInstanceUID));
        Assert.Equal(DicomWriter.ImplementationClassUid, meta.GetString(DicomTags.ImplementationClassUID));
        Assert.Equal(DicomWriter.ImplementationVersionName, meta.GetString(DicomTags.ImplementationVersionName));

        var ds = file.Dataset;
        var tags = ds.Elements.Select(e => e.Tag.Value).ToList();
        Assert.Equal(tags.Order(), tags);
        Assert.All(ds.Elements, e => Assert.True(e.Length % 2 == 0, $"{e.Tag} has odd length {e.Length}"));
        Assert.Equal("1.2.3.456\0"u8.ToArray(), ds.ValueBytes(DicomTags.SOPInstanceUID).ToArray());
        Assert.Equal("Doe^Jo"u8.ToArray(), ds.ValueBytes(DicomTags.PatientName).ToArray());
        Assert.Equal("ABC "u8.ToArray(), ds.ValueBytes(DicomTags.PatientID).ToArray());
        Assert.Equal("DERIVED\\SECONDARY ", System.Text.Encoding.ASCII.GetString(ds.ValueBytes(DicomTags.ImageType)));
        Assert.Equal(512, ds.GetInt32(DicomTags.Rows));
        Assert.Equal([4, 3, 2, 1], ds.ValueBytes(RegionFlags).ToArray());
        Assert.Equal("ODDLY", ds.GetString(PrivateCreator));
        var frames = ds.Items(DicomTags.ReferencedFrameOfReferenceSequence);
        Assert.Equal(2, frames.Count);
        Assert.Equal("1.2.3", frames[0].GetString(DicomTags.FrameOfReferenceUID));
        Assert.Equal("1.2.5", frames[1].GetString(DicomTags.FrameOfReferenceUID));
        var studies = frames[0].Items(DicomTags.RTReferencedStudySequence);
        Assert.Equal(2, studies.Count);
        Assert.Equal("1.2.4", studies[0].GetString(DicomTags.ReferencedSOPInstanceUID));
        Assert.Empty(studies[1].Elements);
        Assert.True(ds.TryGet(DicomTags.StructureSetROISequence, out var empty));
        Assert.Equal(0, empty.Length);
        Assert.Empty(ds.Items(DicomTags.StructureSetROISequence));
    }

    [SkippableTheory]
    [InlineData(false)]
    [InlineData(true)]
    public void PydicomSeesTheSameElementTree(bool explicitVR)
    {
        ExternalProcess.Require(ExternalProcess.Python, "pydicom");
        var syntax = explicitVR ? TransferSyntax.ExplicitVRLittleEndian : TransferSyntax.ImplicitVRLittleEndian;
        var path = Path.Combine(Path.GetTempPath(), $"writer-{Guid.NewGuid():N}.dcm");
        try
        {
            var bytes = DicomWriter.WriteFile(Sample(), syntax);
            File.WriteAllBytes(path, bytes);
            var (_, expected, _) = ExternalProcess.RunPythonTool("pydicom_structure.py", path, "--meta");
            var file = DicomReader.Read(bytes);
            var ours = StructureListing.Of(file.Meta!) + "\n" + StructureListing.Of(file.Dataset);
            StructureListing.AssertMatches(expected.TrimEnd('\n'), ours);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [SkippableFact]
    public void StreamAndArrayOutputsAreIdentical()
    {
        var bytes = DicomWriter.WriteFile(Sample());
        using var stream = new MemoryStream();
        DicomWriter.WriteFile(stream, Sample());
        Assert.Equal(bytes, stream.ToArray());
    }

    [SkippableFact]
    public void BareDataSetHasNoPreambleOrMeta()
    {
        using var stream = new MemoryStream();
        DicomWriter.WriteDataset(stream, new DicomDatasetBuilder().AddUInt16(DicomTags.Rows, 7));
        Assert.Equal([0x28, 0x00, 0x10, 0x00, 2, 0, 0, 0, 7, 0], stream.ToArray());
    }

    [SkippableFact]
    public void ImplicitVRSequencesHaveComputedDefinedLengths()
    {
        using var stream = new MemoryStream();
        var item = new DicomDatasetBuilder().AddUInt16(DicomTags.Rows, 1); // 10 bytes
        DicomWriter.WriteDataset(stream, new DicomDatasetBuilder().AddSequence(DicomTags.ContourSequence, item, item));
        var b = stream.ToArray();
        Assert.Equal(8 + 2 * (8 + 10), b.Length);
        Assert.Equal(0x30060040u, (uint)BinaryPrimitives.ReadUInt16LittleEndian(b) << 16 | BinaryPrimitives.ReadUInt16LittleEndian(b.AsSpan(2)));
        Assert.Equal(36u, BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan(4)));
        Assert.Equal([0xFE, 0xFF, 0x00, 0xE0, 10, 0, 0, 0], b[8..16]);
        Assert.Equal([0xFE, 0xFF, 0x00, 0xE0, 10, 0, 0, 0], b[26..34]);
    }

    [SkippableFact]
    public void RefusesWhatWouldMakeABadFile()
    {
        var builder = new DicomDatasetBuilder().Add(DicomTags.PatientID, DicomVR.LO, "x");
        Assert.Throws<InvalidOperationException>(() => builder.Add(DicomTags.PatientID, DicomVR.LO, "y"));
        Assert.Throws<ArgumentException>(() => builder.Add(DicomTags.Rows, DicomVR.US, "1"));
        Assert.Throws<ArgumentException>(() => builder.AddBytes(new DicomTag(0x0010, 0x0000), DicomVR.UL, new byte[4]));
        Assert.Throws<ArgumentException>(() => builder.AddBytes(DicomTag.Item, DicomVR.OB, new byte[4]));
        // No SOP class or instance: no file meta information can be made.
        Assert.Throws<InvalidOperationException>(() => DicomWriter.WriteFile(builder));
        // A short-length VR cannot hold more than 64 KiB in explicit VR (implicit VR can).
        var big = new DicomDatasetBuilder().Add(DicomTags.SOPClassUID, DicomVR.UI, "1.2").Add(DicomTags.SOPInstanceUID, DicomVR.UI, "1.3")
            .AddBytes(DicomTags.ContourData, DicomVR.DS, new byte[70_000]);
        Assert.Throws<InvalidOperationException>(() => DicomWriter.WriteFile(big, TransferSyntax.ExplicitVRLittleEndian));
        Assert.Equal(DicomWriter.FileLength(big), DicomWriter.WriteFile(big).Length);
        Assert.Throws<NotSupportedException>(() => DicomWriter.WriteFile(big, TransferSyntax.DeflatedExplicitVRLittleEndian));
    }

    [SkippableTheory]
    [InlineData(0.0, "0.000")]
    [InlineData(-0.0004, "0.000")]
    [InlineData(-0.0005, "-0.001")]
    [InlineData(12.3456, "12.346")]
    [InlineData(-250.5, "-250.500")]
    [InlineData(-12345.678, "-12345.678")]
    [InlineData(-99999.5, "-99999.500")]
    [InlineData(99999999999.0, "99999999999.000")]
    [InlineData(-99999999999.0, "-99999999999.000")]
    [InlineData(-999999999999.0, "-999999999999.00")]
    [InlineData(-1e14, "-100000000000000")]
    public void DecimalStringsUseThreeDecimalsWhileTheyFit(double value, string expected)
    {
        Assert.Equal(expected, DecimalString.Format(value));
    }

    [SkippableTheory]
    [InlineData(1e15)]
    [InlineData(-1.2345678912345e20)]
    [InlineData(-1.5e-300)]
    [InlineData(double.MaxValue)]
    [InlineData(double.MinValue)]
    public void EveryFiniteNumberFitsSixteenCharacters(double value)
    {
        var s = DecimalString.Format(value);
        Assert.InRange(s.Length, 1, 16);
        var parsed = double.Parse(s, CultureInfo.InvariantCulture);
        Assert.True(Math.Abs(parsed - value) <= Math.Max(1e-3, Math.Abs(value) * 1e-8), $"{value} -> {s}");
    }

    [SkippableFact]
    public void NonFiniteNumbersAreRefused()
    {
        Assert.Throws<ArgumentException>(() => DecimalString.Format(double.NaN));
        Assert.Throws<ArgumentException>(() => DecimalString.Format(double.PositiveInfinity));
    }

    [SkippableFact]
    public void GeneratedUidsAreValidUniqueAndUnderTheUuidRoot()
    {
        var uids = Enumerable.Range(0, 1000).Select(_ => UidGenerator.NewUid()).ToList();
        Assert.Equal(uids.Count, uids.Distinct().Count());
        Assert.All(uids, u =>
        {
            Assert.StartsWith("2.25.", u);
            Assert.True(UidGenerator.IsValid(u), u);
            Assert.InRange(u.Length, 6, 44);
        });
        Assert.Equal("2.25.329800735698586629295641978511506172918",
            UidGenerator.FromGuid(Guid.Parse("f81d4fae-7dec-11d0-a765-00a0c91e6bf6"))); // PS3.5 B.2's example
        Assert.True(UidGenerator.IsValid(DicomWriter.ImplementationClassUid));
        Assert.False(UidGenerator.IsValid("1.02.3"));
        Assert.False(UidGenerator.IsValid("1..3"));
        Assert.False(UidGenerator.IsValid("1.2.3."));
        Assert.False(UidGenerator.IsValid(new string('1', 65)));
    }
}
