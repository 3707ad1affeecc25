using InnerEye.Imaging.Dicom;
using InnerEye.Imaging.Tests.Support;

namespace InnerEye.Imaging.Tests.Dicom;

/// <summary>Reading only the header gives exactly the elements before Pixel Data that a whole read gives, however small the prefix read
/// first.</summary>
public class HeaderReadTests
{
    [SkippableTheory]
    [MemberData(nameof(PydicomCorpusParsingTests.WellFormed), MemberType = typeof(PydicomCorpusParsingTests))]
    public void TheHeaderIsTheWholeReadUpToPixelData(string name)
    {
        PydicomCorpus.Require();
        var path = PydicomCorpus.PathOf(name);
        var whole = DicomReader.ReadFile(path);
        foreach (var prefix in new[] { 64, 1024, 256 * 1024 })
        {
            var header = DicomReader.ReadHeader(path, prefix);
            Assert.Equal(whole.TransferSyntax.Uid, header.TransferSyntax.Uid);
            var expected = whole.Dataset.Elements.Where(e => e.Tag.Value < 0x7FE00010u).ToList();
            Assert.Equal(expected.Select(e => e.Tag), header.Dataset.Elements.Select(e => e.Tag));
            foreach (var e in expected.Where(e => !e.IsSequence))
                Assert.True(whole.Dataset.ValueBytes(e.Tag).SequenceEqual(header.Dataset.ValueBytes(e.Tag)), $"{name}: {e.Tag} differs");
        }
    }
}
