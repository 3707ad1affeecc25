using InnerEye.Imaging.Dicom;
using InnerEye.Imaging.Tests.Support;

namespace InnerEye.Imaging.Tests.Dicom;

/// <summary>Our reader must see exactly the element tree pydicom sees in every well-formed file of its corpus.</summary>
public class PydicomCorpusParsingTests
{
    public static TheoryData<string> WellFormed()
    {
        var data = new TheoryData<string>();
        foreach (var name in PydicomCorpus.WellFormedFiles()) data.Add(name);
        if (data.Count == 0) data.Add("CT_small.dcm");
        return data;
    }

    [SkippableTheory]
    [MemberData(nameof(WellFormed))]
    public void ElementTreeMatchesPydicom(string name)
    {
        PydicomCorpus.Require();
        ExternalProcess.Require(ExternalProcess.Python, "pydicom");
        var expected = ExternalProcess.RunPythonTool("pydicom_structure.py", PydicomCorpus.PathOf(name)).Stdout.TrimEnd('\n');
        var file = DicomReader.ReadFile(PydicomCorpus.PathOf(name));
        StructureListing.AssertMatches(expected, StructureListing.Of(file.Dataset));
    }

    [SkippableTheory]
    [InlineData("MR_truncated.dcm", "LengthPastEnd")]
    [InlineData("rtplan_truncated.dcm", "LengthPastEnd")]
    [InlineData("no_meta.dcm", "NotDicom")]
    public void MalformedFilesFailWithATypedError(string name, string code)
    {
        PydicomCorpus.Require();
        var error = Assert.Throws<DicomFormatException>(() => DicomReader.ReadFile(PydicomCorpus.PathOf(name)));
        Assert.Equal(code, error.Code);
        Assert.Contains(code == "NotDicom" ? "not a DICOM file" : "claims", error.Message);
    }

    [SkippableTheory]
    [InlineData("ExplVR_BigEnd.dcm", "1.2.840.10008.1.2.2")]
    [InlineData("ExplVR_BigEndNoMeta.dcm", "1.2.840.10008.1.2.2")]
    [InlineData("ExplVR_LitEndNoMeta.dcm", "1.2.840.10008.1.2.1")]
    [InlineData("MR_small_implicit.dcm", "1.2.840.10008.1.2")]
    [InlineData("image_dfl.dcm", "1.2.840.10008.1.2.1.99")]
    [InlineData("no_meta_group_length.dcm", "1.2.840.10008.1.2")]
    [InlineData("MR_small_RLE.dcm", "1.2.840.10008.1.2.5")]
    public void TransferSyntaxIsRecognised(string name, string uid)
    {
        PydicomCorpus.Require();
        Assert.Equal(uid, DicomReader.ReadFile(PydicomCorpus.PathOf(name)).TransferSyntax.Uid);
    }

    [SkippableFact]
    public void BigEndianNumbersAreDecoded()
    {
        PydicomCorpus.Require();
        var little = DicomReader.ReadFile(PydicomCorpus.PathOf("MR_small.dcm")).Dataset;
        var big = DicomReader.ReadFile(PydicomCorpus.PathOf("MR_small_bigendian.dcm")).Dataset;
        Assert.Equal(little.GetUInt16(DicomTags.Rows), big.GetUInt16(DicomTags.Rows));
        Assert.Equal(64, big.GetInt32(DicomTags.Columns));
        Assert.Equal(little.GetDoubles(DicomTags.ImagePositionPatient), big.GetDoubles(DicomTags.ImagePositionPatient));
    }
}
