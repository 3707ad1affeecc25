using InnerEye.Imaging.Dicom;
using InnerEye.Imaging.Tests.Support;

namespace InnerEye.Imaging.Tests.Dicom;

/// <summary>Broken files fail with a typed error that says what is wrong, without hanging or allocating from a claimed length.</summary>
public class MalformedInputTests
{
    private const string Implicit = "1.2.840.10008.1.2";
    private const string Explicit = "1.2.840.10008.1.2.1";

    private static DicomFormatException Fails(byte[] data, string code)
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        var error = Assert.Throws<DicomFormatException>(() => DicomReader.Read(data));
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 1_000_000 + 16L * data.Length, "allocated far more than the input justifies");
        Assert.Equal(code, error.Code);
        Assert.False(string.IsNullOrWhiteSpace(error.Message));
        return error;
    }

    [SkippableFact]
    public void EmptyFile() => Fails([], "Empty");

    [SkippableTheory]
    [InlineData(0xFFFFFFFEu)]
    [InlineData(0xF0000000u)]
    [InlineData(1000u)]
    public void LengthPastTheEnd(uint length)
    {
        byte[] data = [.. RawDicom.Preamble(Implicit), .. RawDicom.ImplicitHeader(0x0010, 0x0010, length), .. "DOE^JOHN"u8];
        var error = Fails(data, "LengthPastEnd");
        Assert.Contains("(0010,0010) PatientName", error.Message);
        Assert.Contains($"claims {length} bytes but only 8 remain", error.Message);
    }

    [SkippableFact]
    public void FourGigabyteLengthInExplicitLongForm()
    {
        byte[] data = [.. RawDicom.Preamble(Explicit), .. RawDicom.UInt16(0x7FE0), .. RawDicom.UInt16(0x0010), .. "OW"u8, 0, 0,
            .. RawDicom.UInt32(0xFFFFFFF0u), 1, 2, 3, 4];
        Fails(data, "LengthPastEnd");
    }

    [SkippableTheory]
    [InlineData(1, "Truncated")]
    [InlineData(7, "Truncated")]
    [InlineData(11, "LengthPastEnd")]
    public void TruncatedElement(int keep, string code)
    {
        var preamble = RawDicom.Preamble(Explicit);
        byte[] full = [.. preamble, .. RawDicom.ExplicitShort(0x0010, 0x0010, "PN", RawDicom.Text("DOE^JOHN"))];
        Fails(full[..(preamble.Length + keep)], code);
    }

    /// <summary>A cut inside an element is an error; a cut between elements leaves a shorter data set without the pixels.</summary>
    [SkippableFact]
    public void TruncatedCorpusFileAtEveryLength()
    {
        PydicomCorpus.Require();
        var bytes = File.ReadAllBytes(PydicomCorpus.PathOf("CT_small.dcm"));
        var errors = 0;
        for (var cut = 1; cut < bytes.Length; cut += 37)
        {
            try
            {
                Assert.False(DicomReader.Read(bytes[..cut]).Dataset.Contains(DicomTags.PixelData));
            }
            catch (DicomFormatException error)
            {
                Assert.Contains(error.Code, new[] { "Truncated", "LengthPastEnd", "NoDataSet", "MissingFileMeta", "NotDicom" });
                errors++;
            }
        }
        Assert.True(errors > 0);
    }

    [SkippableTheory]
    [InlineData(true)]
    [InlineData(false)]
    public void SequencesNestedTenThousandDeep(bool undefinedLength)
    {
        const int depth = 10_000;
        var sq = RawDicom.ImplicitHeader(0x0008, 0x1115, 0xFFFFFFFF);
        var item = RawDicom.ImplicitHeader(0xFFFE, 0xE000, 0xFFFFFFFF);
        byte[] nested = [];
        if (undefinedLength)
        {
            nested = Enumerable.Repeat<byte[]>([.. sq, .. item], depth).SelectMany(b => b).ToArray();
        }
        else
        {
            for (var i = 0; i < depth; i++)
            {
                byte[] itemBytes = [.. RawDicom.ImplicitHeader(0xFFFE, 0xE000, (uint)nested.Length), .. nested];
                nested = [.. RawDicom.ImplicitHeader(0x0008, 0x1115, (uint)itemBytes.Length), .. itemBytes];
            }
        }
        var error = Fails([.. RawDicom.Preamble(Implicit), .. nested], "NestingTooDeep");
        Assert.Contains("more than 64 levels", error.Message);
    }

    [SkippableFact]
    public void WrongVRBytes()
    {
        byte[] data = [.. RawDicom.Preamble(Explicit), .. RawDicom.ExplicitShort(0x0008, 0x0060, "CS", RawDicom.Text("CT")),
            .. RawDicom.UInt16(0x0010), .. RawDicom.UInt16(0x0010), (byte)'z', (byte)'Q', 4, 0, .. "ABCD"u8];
        var error = Fails(data, "InvalidVR");
        Assert.Contains("(0010,0010)", error.Message);
    }

    [SkippableFact]
    public void UndefinedLengthOnAStringIsRefused()
    {
        byte[] data = [.. RawDicom.Preamble(Implicit), .. RawDicom.ImplicitHeader(0x0010, 0x0010, 0xFFFFFFFF), .. new byte[16]];
        Fails(data, "UndefinedLength");
    }

    [SkippableFact]
    public void UnclosedUndefinedLengthSequence()
    {
        byte[] data = [.. RawDicom.Preamble(Implicit), .. RawDicom.ImplicitHeader(0x0008, 0x1115, 0xFFFFFFFF),
            .. RawDicom.ImplicitHeader(0xFFFE, 0xE000, 0xFFFFFFFF), .. RawDicom.Implicit(0x0008, 0x1150, RawDicom.Text("1.2"))];
        Fails(data, "Truncated");
    }

    [SkippableFact]
    public void EncapsulatedPixelDataWithoutDelimiter()
    {
        byte[] data = [.. RawDicom.Preamble("1.2.840.10008.1.2.5"), .. RawDicom.UInt16(0x7FE0), .. RawDicom.UInt16(0x0010), .. "OB"u8, 0, 0,
            .. RawDicom.UInt32(0xFFFFFFFFu), .. RawDicom.ImplicitHeader(0xFFFE, 0xE000, 0),
            .. RawDicom.ImplicitHeader(0xFFFE, 0xE000, 4), 1, 2, 3, 4];
        Fails(data, "Truncated");
    }

    [SkippableFact]
    public void TextIsNotDicom()
    {
        Fails("Hello, this is a plain text file and not an image at all.\n"u8.ToArray(), "NotDicom");
    }

    [SkippableFact]
    public void DeflateBombIsCapped()
    {
        using var deflated = new MemoryStream();
        using (var z = new System.IO.Compression.DeflateStream(deflated, System.IO.Compression.CompressionLevel.SmallestSize, leaveOpen: true))
        {
            var zeros = new byte[1 << 20];
            for (var i = 0; i < 8; i++) z.Write(zeros);
        }
        byte[] data = [.. RawDicom.Preamble("1.2.840.10008.1.2.1.99"), .. deflated.ToArray()];
        var error = Assert.Throws<DicomFormatException>(() => DicomReader.Read(data, new DicomReadOptions { MaxInflatedBytes = 1 << 20 }));
        Assert.Equal("InflatedTooLarge", error.Code);
    }
}
