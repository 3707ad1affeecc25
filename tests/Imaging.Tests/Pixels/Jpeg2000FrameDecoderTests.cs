using InnerEye.Imaging.Pixels;
using InnerEye.Imaging.Tests.Support;
using Xunit;

namespace InnerEye.Imaging.Tests.Pixels;

public sealed class Jpeg2000FrameDecoderTests
{
    private static bool LibraryPresent()
    {
        if (Jpeg2000FrameDecoder.IsAvailable)
            return true;
        return ExternalTool.Require("/usr/lib/x86_64-linux-gnu/libopenjp2.so.7 (libopenjp2-7)");
    }

    /// <summary>Expected pixels come from gdcmconv --raw, which decodes with the same OpenJPEG build.</summary>
    [SkippableTheory]
    [InlineData("MR_small_jp2klossless.dcm")]
    [InlineData("JPEG2000.dcm")]
    [InlineData("693_J2KI.dcm")]
    [InlineData("GDCMJ2K_TextGBR.dcm")]
    public void CorpusFileMatchesGdcm(string name)
    {
        if (!LibraryPresent() || !ExternalTool.RequireCorpus(name, "gdcmconv"))
            return;
        using var temp = new TempDirectory();
        var frames = EncodedFrames.Extract(ExternalTool.Corpus(name), temp);
        PixelAssert.Equal(Reference.NativePixels(ExternalTool.Corpus(name), temp), frames.DecodeAll(Jpeg2000FrameDecoder.Instance),
            frames.Format, name);
    }

    /// <summary>
    /// The codestream says unsigned, Pixel Representation says signed (13 bits stored). The data set wins: samples are
    /// sign-extended, so the padding value reads -2000 rather than gdcm's raw 13-bit pattern 6192; the stored bits agree.
    /// </summary>
    [SkippableFact]
    public void PixelRepresentationMismatchTrustsTheDataSet()
    {
        const string name = "J2K_pixelrep_mismatch.dcm";
        if (!LibraryPresent() || !ExternalTool.RequireCorpus(name, "gdcmconv"))
            return;
        using var temp = new TempDirectory();
        var frames = EncodedFrames.Extract(ExternalTool.Corpus(name), temp);
        Assert.True(frames.Format.IsSigned);
        var actual = frames.DecodeAll(Jpeg2000FrameDecoder.Instance);
        Assert.Equal(-2000, BitConverter.ToInt16(actual, 0));
        PixelAssert.EqualStoredBits(Reference.NativePixels(ExternalTool.Corpus(name), temp), actual, frames.Format, name);
        for (var i = 0; i < actual.Length / 2; i++)
        {
            var v = BitConverter.ToInt16(actual, 2 * i);
            Assert.InRange(v, -4096, 4095);
        }
    }

    [SkippableTheory]
    [InlineData("CT_small.dcm", "")]
    [InlineData("MR_small.dcm", "")]
    [InlineData("", "u16full")]
    [InlineData("", "s16")]
    [InlineData("", "u12")]
    [InlineData("", "s12")]
    [InlineData("", "u8")]
    [InlineData("", "rgb8")]
    public void GdcmLosslessRoundTrip(string corpus, string synthetic)
    {
        if (!LibraryPresent() || !ExternalTool.Require(ExternalTool.Python, "gdcmconv") || (corpus != "" && !ExternalTool.RequireCorpus(corpus)))
            return;
        using var temp = new TempDirectory();
        var source = corpus != "" ? ExternalTool.Corpus(corpus) : Reference.MakeNative(synthetic, temp);
        var frames = EncodedFrames.Extract(Reference.Transcode("gdcmconv", source, temp, "--j2k"), temp);
        Assert.Equal("1.2.840.10008.1.2.4.90", frames.TransferSyntax);
        PixelAssert.Equal(Reference.NativePixels(source, temp), frames.DecodeAll(Jpeg2000FrameDecoder.Instance), frames.Format,
            $"{corpus}{synthetic} via gdcmconv --j2k");
    }

    [SkippableTheory]
    [InlineData("CT_small.dcm", "")]
    [InlineData("", "rgb8")]
    public void GdcmLossyMatchesGdcmDecode(string corpus, string synthetic)
    {
        if (!LibraryPresent() || !ExternalTool.Require(ExternalTool.Python, "gdcmconv") || (corpus != "" && !ExternalTool.RequireCorpus(corpus)))
            return;
        using var temp = new TempDirectory();
        var source = corpus != "" ? ExternalTool.Corpus(corpus) : Reference.MakeNative(synthetic, temp);
        var encoded = Reference.Transcode("gdcmconv", source, temp, "--j2k", "--lossy", "--irreversible", "-q", "30");
        var frames = EncodedFrames.Extract(encoded, temp);
        Assert.Equal("1.2.840.10008.1.2.4.91", frames.TransferSyntax);
        var actual = frames.DecodeAll(Jpeg2000FrameDecoder.Instance);
        PixelAssert.Equal(Reference.NativePixels(encoded, temp), actual, frames.Format, "gdcm decode of lossy J2K");
    }

    [SkippableFact]
    public void MismatchedLayoutIsRejectedBeforeDecoding()
    {
        if (!LibraryPresent() || !ExternalTool.RequireCorpus("MR_small_jp2klossless.dcm"))
            return;
        using var temp = new TempDirectory();
        var frames = EncodedFrames.Extract(ExternalTool.Corpus("MR_small_jp2klossless.dcm"), temp);
        var wrong = frames.Format with { Rows = 65 };
        var ex = Assert.Throws<PixelDecodeException>(() =>
            Jpeg2000FrameDecoder.Instance.Decode(frames.Frames[0], wrong, new byte[wrong.FrameBytes]));
        Assert.Contains("64x65", ex.Message);
    }
}
