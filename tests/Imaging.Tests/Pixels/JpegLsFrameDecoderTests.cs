using InnerEye.Imaging.Pixels;
using InnerEye.Imaging.Tests.Support;
using Xunit;

namespace InnerEye.Imaging.Tests.Pixels;

public sealed class JpegLsFrameDecoderTests
{
    private static bool LibraryPresent()
    {
        if (JpegLsFrameDecoder.IsAvailable)
            return true;
        return ExternalTool.Require("/usr/lib/x86_64-linux-gnu/libcharls.so.2 (libcharls2)");
    }

    [SkippableFact]
    public void CorpusLosslessFileMatchesDcmtk()
    {
        const string name = "MR_small_jpeg_ls_lossless.dcm";
        if (!LibraryPresent() || !ExternalTool.RequireCorpus(name, "dcmdjpls"))
            return;
        using var temp = new TempDirectory();
        var frames = EncodedFrames.Extract(ExternalTool.Corpus(name), temp);
        PixelAssert.Equal(Reference.NativePixels(ExternalTool.Corpus(name), temp), frames.DecodeAll(JpegLsFrameDecoder.Instance),
            frames.Format, name);
    }

    public static TheoryData<string, string, string> LosslessCases() => new()
    {
        { "CT_small.dcm", "", "+il" },
        { "MR_small.dcm", "", "+il" },
        { "", "u16full", "+il" },
        { "", "s16", "+il" },
        { "", "u12", "+il" },
        { "", "s12", "+il" },
        { "", "u8", "+il" },
        { "", "rgb8", "+il" },
        { "", "rgb8", "+is" },
        { "", "rgb8", "+in" },
    };

    [SkippableTheory]
    [MemberData(nameof(LosslessCases))]
    public void DcmcjplsLosslessRoundTrip(string corpus, string synthetic, string interleave)
    {
        if (!LibraryPresent() || !ExternalTool.Require(ExternalTool.Python, "dcmcjpls") || (corpus != "" && !ExternalTool.RequireCorpus(corpus)))
            return;
        using var temp = new TempDirectory();
        var source = corpus != "" ? ExternalTool.Corpus(corpus) : Reference.MakeNative(synthetic, temp);
        var frames = EncodedFrames.Extract(Reference.Transcode("dcmcjpls", source, temp, "+el", interleave), temp);
        Assert.Equal("1.2.840.10008.1.2.4.80", frames.TransferSyntax);
        PixelAssert.Equal(Reference.NativePixels(source, temp), frames.DecodeAll(JpegLsFrameDecoder.Instance), frames.Format,
            $"{corpus}{synthetic} {interleave}");
    }

    [SkippableTheory]
    [InlineData("CT_small.dcm", "")]
    [InlineData("", "rgb8")]
    public void GdcmJpegLsRoundTrip(string corpus, string synthetic)
    {
        if (!LibraryPresent() || !ExternalTool.Require(ExternalTool.Python, "gdcmconv") || (corpus != "" && !ExternalTool.RequireCorpus(corpus)))
            return;
        using var temp = new TempDirectory();
        var source = corpus != "" ? ExternalTool.Corpus(corpus) : Reference.MakeNative(synthetic, temp);
        var frames = EncodedFrames.Extract(Reference.Transcode("gdcmconv", source, temp, "--jpegls"), temp);
        PixelAssert.Equal(Reference.NativePixels(source, temp), frames.DecodeAll(JpegLsFrameDecoder.Instance), frames.Format, "gdcmconv --jpegls");
    }

    [SkippableTheory]
    [InlineData("", "u16full", 4)]
    [InlineData("", "u8", 3)]
    [InlineData("", "rgb8", 2)]
    [InlineData("", "u12", 7)]
    public void NearLosslessStaysWithinNearAndMatchesDcmtk(string corpus, string synthetic, int near)
    {
        if (!LibraryPresent() || !ExternalTool.Require(ExternalTool.Python, "dcmcjpls", "dcmdjpls")
            || (corpus != "" && !ExternalTool.RequireCorpus(corpus)))
            return;
        using var temp = new TempDirectory();
        var source = corpus != "" ? ExternalTool.Corpus(corpus) : Reference.MakeNative(synthetic, temp);
        AssertNearLossless(source, Reference.Transcode("dcmcjpls", source, temp, "+en", "+md", near.ToString()), near, temp);
    }

    /// <summary>dcmcjpls refuses signed near-lossless, so signed data goes through gdcm.</summary>
    [SkippableTheory]
    [InlineData("CT_small.dcm", 2)]
    [InlineData("MR_small.dcm", 5)]
    public void SignedNearLosslessFromGdcm(string corpus, int near)
    {
        if (!LibraryPresent() || !ExternalTool.RequireCorpus(corpus, "gdcmconv", "dcmdjpls"))
            return;
        using var temp = new TempDirectory();
        var source = ExternalTool.Corpus(corpus);
        AssertNearLossless(source, Reference.Transcode("gdcmconv", source, temp, "--jpegls", "--lossy", "-e", near.ToString()), near, temp);
    }

    private static void AssertNearLossless(string source, string encoded, int near, TempDirectory temp)
    {
        var frames = EncodedFrames.Extract(encoded, temp);
        Assert.Equal("1.2.840.10008.1.2.4.81", frames.TransferSyntax);
        var actual = frames.DecodeAll(JpegLsFrameDecoder.Instance);
        var original = Reference.NativePixels(source, temp);
        var bps = frames.Format.BytesPerSample;
        long worst = 0;
        for (var i = 0; i < original.Length / bps; i++)
            worst = Math.Max(worst, Math.Abs(PixelAssert.ReadSample(original, i, bps) - PixelAssert.ReadSample(actual, i, bps)));
        Assert.True(worst <= near, $"largest error {worst} exceeds NEAR={near}");
        Assert.True(worst > 0 || near == 0, "near-lossless output is unexpectedly identical to the source");
        PixelAssert.Equal(Reference.NativePixels(encoded, temp), actual, frames.Format, "dcmdjpls decode");
    }

    [SkippableFact]
    public void GarbageIsAPixelDecodeException()
    {
        if (!LibraryPresent())
            return;
        var format = new FrameFormat(8, 8, 1, 8, 8, false, 0);
        byte[] garbage = [0xFF, 0xD8, 0xFF, 0xF7, 0x00, 0x0B, 0x08, 0x00, 0x08, 0x00, 0x08, 0x01, 0x01, 0x11, 0x00, 0xFF, 0xDA, 1, 2, 3];
        Assert.Throws<PixelDecodeException>(() => JpegLsFrameDecoder.Instance.Decode(garbage, format, new byte[64]));
        Assert.Throws<PixelDecodeException>(() => JpegLsFrameDecoder.Instance.Decode([1, 2, 3, 4, 5], format, new byte[64]));
    }
}
