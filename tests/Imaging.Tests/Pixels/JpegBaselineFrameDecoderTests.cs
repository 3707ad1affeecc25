using InnerEye.Imaging.Pixels;
using InnerEye.Imaging.Tests.Support;
using Xunit;

namespace InnerEye.Imaging.Tests.Pixels;

/// <summary>
/// Lossy JPEG against dcmdjpeg (+cn, no colour conversion). JpegLibrary's IDCT rounds differently from libjpeg's
/// integer IDCT, so samples may differ by 1; 4:2:0 chroma is upsampled by replication rather than libjpeg's
/// triangular filter, so there only the average error is bounded.
/// </summary>
public sealed class JpegBaselineFrameDecoderTests
{
    [SkippableTheory]
    [InlineData("JPEG-lossy.dcm")]
    [InlineData("JPGExtended.dcm")]
    [InlineData("SC_rgb_jpeg_dcmtk.dcm")]
    [InlineData("SC_jpeg_no_color_transform.dcm")]
    [InlineData("SC_rgb_dcmtk_+eb+cr.dcm")]
    [InlineData("SC_rgb_dcmtk_+eb+cy+s4.dcm")]
    [InlineData("SC_rgb_dcmtk_+eb+cy+s2.dcm")]
    [InlineData("SC_rgb_jpeg_gdcm.dcm")]
    [InlineData("SC_rgb_small_odd_jpeg.dcm")]
    public void CorpusFileWithinOneOfDcmtk(string name)
    {
        if (!ExternalTool.RequireCorpus(name, "dcmdjpeg"))
            return;
        using var temp = new TempDirectory();
        var frames = EncodedFrames.Extract(ExternalTool.Corpus(name), temp);
        AssertClose(Reference.NativePixels(ExternalTool.Corpus(name), temp), frames.DecodeAll(JpegBaselineFrameDecoder.Instance),
            frames.Format, 1, 1);
    }

    [SkippableFact]
    public void Subsampled420HasSmallAverageError()
    {
        const string name = "SC_rgb_dcmtk_+eb+cy+n1.dcm";
        if (!ExternalTool.RequireCorpus(name, "dcmdjpeg"))
            return;
        using var temp = new TempDirectory();
        var frames = EncodedFrames.Extract(ExternalTool.Corpus(name), temp);
        AssertClose(Reference.NativePixels(ExternalTool.Corpus(name), temp), frames.DecodeAll(JpegBaselineFrameDecoder.Instance),
            frames.Format, 64, 3);
    }

    [SkippableTheory]
    [InlineData("u8", "+eb")]
    [InlineData("u12", "+ee")]
    [InlineData("rgb8", "+eb")]
    public void DcmcjpegLossyWithinOneOfDcmdjpeg(string synthetic, string process)
    {
        if (!ExternalTool.Require(ExternalTool.Python, "dcmcjpeg", "dcmdjpeg"))
            return;
        using var temp = new TempDirectory();
        var source = Reference.MakeNative(synthetic, temp);
        var encoded = Reference.Transcode("dcmcjpeg", source, temp, process, "+cr");
        var frames = EncodedFrames.Extract(encoded, temp);
        AssertClose(Reference.NativePixels(encoded, temp), frames.DecodeAll(JpegBaselineFrameDecoder.Instance), frames.Format, 1, 1);
    }

    [SkippableFact]
    public void LosslessStreamIsHandedToTheLosslessDecoder()
    {
        var format = new FrameFormat(3, 4, 1, 16, 16, false, 0);
        var pixels = Enumerable.Range(0, 12).SelectMany(i => BitConverter.GetBytes((ushort)(i * 5000))).ToArray();
        var encoded = JpegLosslessTestEncoder.Encode(pixels, format, 1, 0, 0);
        var output = new byte[pixels.Length];
        JpegBaselineFrameDecoder.Instance.Decode(encoded, format, output);
        Assert.Equal(pixels, output);
    }

    private static void AssertClose(byte[] expected, byte[] actual, FrameFormat format, int maxError, double meanError)
    {
        Assert.Equal(expected.Length, actual.Length);
        var bps = format.BytesPerSample;
        long worst = 0, total = 0;
        var n = expected.Length / bps;
        for (var i = 0; i < n; i++)
        {
            var d = Math.Abs(PixelAssert.ReadSample(expected, i, bps) - PixelAssert.ReadSample(actual, i, bps));
            worst = Math.Max(worst, d);
            total += d;
        }
        Assert.True(worst <= maxError, $"largest difference {worst} exceeds {maxError}");
        Assert.True((double)total / n <= meanError, $"mean difference {(double)total / n:F3} exceeds {meanError}");
    }
}
