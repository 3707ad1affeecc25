using InnerEye.Imaging.Dicom;

namespace InnerEye.Imaging.Tests.Dicom;

/// <summary>
/// A Type 2 attribute may be present with a zero-length value; every getter reads it as absent, in every VR and
/// transfer syntax, instead of failing or inventing a value.
/// </summary>
public class EmptyValueTests
{
    private static readonly DicomTag SliceThickness = new(0x00180050u);   // DS
    private static readonly DicomTag TagAngleSecondAxis = new(0x00189219u); // SS
    private static readonly DicomTag SimpleFrameList = new(0x00081161u);    // UL
    private static readonly DicomTag ReferencePixelX0 = new(0x00186020u);   // SL
    private static readonly DicomTag FrameRateFloat = new(0x00089459u);     // FL
    private static readonly DicomTag DiffusionBValue = new(0x00189087u);    // FD

    /// <summary>Both encodings the project writes (an empty value has no byte order, so big endian adds nothing).</summary>
    public static TheoryData<string> Syntaxes => new() { "implicit", "explicit" };

    private static TransferSyntax Syntax(string name) => name switch
    {
        "implicit" => TransferSyntax.ImplicitVRLittleEndian,
        "explicit" => TransferSyntax.ExplicitVRLittleEndian,
        _ => throw new ArgumentException(name),
    };

    /// <summary>A file holding <paramref name="tag"/> with a zero-length value of <paramref name="vr"/>, read back.</summary>
    private static DicomDataset ReadEmpty(DicomTag tag, DicomVR vr, string syntax, string value = "")
    {
        var builder = new DicomDatasetBuilder()
            .Add(DicomTags.SOPClassUID, DicomVR.UI, "1.2.840.10008.5.1.4.1.1.2")
            .Add(DicomTags.SOPInstanceUID, DicomVR.UI, "1.2.3.4");
        if (value.Length == 0) builder.AddBytes(tag, vr, ReadOnlyMemory<byte>.Empty);
        else builder.Add(tag, vr, value);
        var ds = DicomReader.Read(DicomWriter.WriteFile(builder, Syntax(syntax))).Dataset;
        Assert.True(ds.TryGet(tag, out var e), "the element is present");
        Assert.Equal(vr, e.VR);
        return ds;
    }

    private static void AssertAbsent(DicomDataset ds, DicomTag tag)
    {
        Assert.Null(ds.GetInt32(tag));
        Assert.Null(ds.GetUInt16(tag));
        Assert.Null(ds.GetDoubles(tag));
        Assert.Null(ds.GetDouble(tag));
        Assert.Null(ds.GetFirstString(tag));
    }

    [SkippableTheory]
    [MemberData(nameof(Syntaxes))]
    public void EmptyUSReadsAsAbsent(string syntax) => AssertAbsent(ReadEmpty(DicomTags.Rows, DicomVR.US, syntax), DicomTags.Rows);

    [SkippableTheory]
    [MemberData(nameof(Syntaxes))]
    public void EmptySSReadsAsAbsent(string syntax) => AssertAbsent(ReadEmpty(TagAngleSecondAxis, DicomVR.SS, syntax), TagAngleSecondAxis);

    [SkippableTheory]
    [MemberData(nameof(Syntaxes))]
    public void EmptyULReadsAsAbsent(string syntax) => AssertAbsent(ReadEmpty(SimpleFrameList, DicomVR.UL, syntax), SimpleFrameList);

    [SkippableTheory]
    [MemberData(nameof(Syntaxes))]
    public void EmptySLReadsAsAbsent(string syntax) => AssertAbsent(ReadEmpty(ReferencePixelX0, DicomVR.SL, syntax), ReferencePixelX0);

    [SkippableTheory]
    [MemberData(nameof(Syntaxes))]
    public void EmptyFLReadsAsAbsent(string syntax) => AssertAbsent(ReadEmpty(FrameRateFloat, DicomVR.FL, syntax), FrameRateFloat);

    [SkippableTheory]
    [MemberData(nameof(Syntaxes))]
    public void EmptyFDReadsAsAbsent(string syntax) => AssertAbsent(ReadEmpty(DiffusionBValue, DicomVR.FD, syntax), DiffusionBValue);

    [SkippableTheory]
    [MemberData(nameof(Syntaxes))]
    public void EmptyDSReadsAsAbsent(string syntax) => AssertAbsent(ReadEmpty(SliceThickness, DicomVR.DS, syntax), SliceThickness);

    [SkippableTheory]
    [MemberData(nameof(Syntaxes))]
    public void EmptyISReadsAsAbsent(string syntax) => AssertAbsent(ReadEmpty(DicomTags.InstanceNumber, DicomVR.IS, syntax),
        DicomTags.InstanceNumber);

    /// <summary>A value of padding only (a single space, as some writers pad an empty even-length value) is empty too.</summary>
    [SkippableTheory]
    [InlineData("DS")]
    [InlineData("IS")]
    public void PaddingOnlyDecimalsReadAsAbsent(string vr)
    {
        var (tag, v) = vr == "DS" ? (SliceThickness, DicomVR.DS) : (DicomTags.InstanceNumber, DicomVR.IS);
        AssertAbsent(ReadEmpty(tag, v, "explicit", " "), tag);
        AssertAbsent(ReadEmpty(tag, v, "implicit", "  "), tag);
    }

    /// <summary>
    /// Empty strings: <see cref="DicomDataset.GetString"/> keeps the difference between present-but-empty ("") and
    /// absent (null), which the RT tests rely on; <see cref="DicomDataset.GetFirstString"/> reads both as absent.
    /// </summary>
    [SkippableTheory]
    [InlineData("UI")]
    [InlineData("CS")]
    [InlineData("LO")]
    [InlineData("SH")]
    [InlineData("PN")]
    [InlineData("DA")]
    [InlineData("TM")]
    public void EmptyStringsAreEmptyAndHaveNoFirstValue(string vr)
    {
        var (tag, v) = vr switch
        {
            "UI" => (DicomTags.FrameOfReferenceUID, DicomVR.UI),
            "CS" => (DicomTags.Modality, DicomVR.CS),
            "LO" => (DicomTags.Manufacturer, DicomVR.LO),
            "SH" => (DicomTags.AccessionNumber, DicomVR.SH),
            "PN" => (DicomTags.PatientName, DicomVR.PN),
            "DA" => (DicomTags.StudyDate, DicomVR.DA),
            _ => (DicomTags.StudyTime, DicomVR.TM),
        };
        foreach (var syntax in new[] { "implicit", "explicit" })
        {
            var ds = ReadEmpty(tag, v, syntax);
            Assert.Equal("", ds.GetString(tag));
            Assert.Null(ds.GetFirstString(tag));
            Assert.Null(ds.GetInt32(tag));
            Assert.Null(ds.GetDoubles(tag));
        }
    }

    /// <summary>Values that are present still read as before; an empty value is absent, a malformed one an error.</summary>
    [SkippableFact]
    public void NonEmptyValuesAreUnchanged()
    {
        var builder = new DicomDatasetBuilder()
            .Add(DicomTags.SOPClassUID, DicomVR.UI, "1.2.840.10008.5.1.4.1.1.2")
            .Add(DicomTags.SOPInstanceUID, DicomVR.UI, "1.2.3.4")
            .Add(DicomTags.InstanceNumber, DicomVR.IS, " 12 ")
            .Add(SliceThickness, DicomVR.DS, "2.5")
            .Add(DicomTags.ImagePositionPatient, DicomVR.DS, "1\\-2.5\\3e1")
            .Add(DicomTags.PixelSpacing, DicomVR.DS, "0.5\\")
            .AddUInt16(DicomTags.Rows, 512);
        var ds = DicomReader.Read(DicomWriter.WriteFile(builder, TransferSyntax.ExplicitVRLittleEndian)).Dataset;
        Assert.Equal(12, ds.GetInt32(DicomTags.InstanceNumber));
        Assert.Equal(2.5, ds.GetDouble(SliceThickness));
        Assert.Equal([1, -2.5, 30], ds.GetDoubles(DicomTags.ImagePositionPatient)!);
        Assert.Equal(512, ds.GetInt32(DicomTags.Rows));
        Assert.Equal((ushort)512, ds.GetUInt16(DicomTags.Rows));
        var error = Assert.Throws<DicomFormatException>(() => ds.GetDoubles(DicomTags.PixelSpacing));
        Assert.Contains("PixelSpacing", error.Message);
        Assert.Null(ds.GetDoubles(DiffusionBValue));
    }
}
