using InnerEye.Imaging.Pixels;
using InnerEye.Imaging.Tests.Support;
using Xunit;

namespace InnerEye.Imaging.Tests.Pixels;

public sealed class JpegLosslessFrameDecoderTests
{
    public static TheoryData<string, string> Sources() => new()
    {
        { "CT_small.dcm", "" },
        { "MR_small.dcm", "" },
        { "", "u16full" },
        { "", "s16" },
        { "", "u12" },
        { "", "s12" },
        { "", "u8" },
        { "", "rgb8" },
    };

    public static TheoryData<string, string, int> SourcesAndPredictors()
    {
        var data = new TheoryData<string, string, int>();
        foreach (var row in Sources())
        {
            for (var sv = 1; sv <= 7; sv++)
                data.Add((string)row[0], (string)row[1], sv);
        }

        return data;
    }

    private static string Source(string corpus, string synthetic, TempDirectory temp) =>
        corpus != "" ? ExternalTool.Corpus(corpus) : Reference.MakeNative(synthetic, temp);

    private static bool Tools(string corpus) =>
        ExternalTool.Require(ExternalTool.Python, "dcmcjpeg") && (corpus == "" || ExternalTool.RequireCorpus(corpus));

    [SkippableTheory]
    [MemberData(nameof(SourcesAndPredictors))]
    public void DcmcjpegProcess14RoundTripIsLossless(string corpus, string synthetic, int predictor)
    {
        if (!Tools(corpus))
            return;
        using var temp = new TempDirectory();
        var source = Source(corpus, synthetic, temp);
        var encoded = Reference.Transcode("dcmcjpeg", source, temp, "+el", "+sv", predictor.ToString());
        var frames = EncodedFrames.Extract(encoded, temp);
        Assert.Equal("1.2.840.10008.1.2.4.57", frames.TransferSyntax);
        PixelAssert.Equal(Reference.NativePixels(source, temp), frames.DecodeAll(JpegLosslessFrameDecoder.Instance),
            frames.Format, $"{corpus}{synthetic} predictor {predictor}");
    }

    [SkippableTheory]
    [MemberData(nameof(Sources))]
    public void DcmcjpegSv1RoundTripIsLossless(string corpus, string synthetic)
    {
        if (!Tools(corpus))
            return;
        using var temp = new TempDirectory();
        var source = Source(corpus, synthetic, temp);
        var frames = EncodedFrames.Extract(Reference.Transcode("dcmcjpeg", source, temp, "+e1"), temp);
        Assert.Equal("1.2.840.10008.1.2.4.70", frames.TransferSyntax);
        PixelAssert.Equal(Reference.NativePixels(source, temp), frames.DecodeAll(JpegLosslessFrameDecoder.Instance),
            frames.Format, $"{corpus}{synthetic} SV1");
    }

    [SkippableTheory]
    [InlineData("CT_small.dcm", 1, 3)]
    [InlineData("MR_small.dcm", 7, 2)]
    [InlineData("", 4, 5)]
    public void PointTransformMatchesDcmtkDecode(string corpus, int predictor, int pointTransform)
    {
        if (!Tools(corpus) || !ExternalTool.Require("dcmdjpeg"))
            return;
        using var temp = new TempDirectory();
        var source = Source(corpus, corpus == "" ? "u16full" : "", temp);
        var encoded = Reference.Transcode("dcmcjpeg", source, temp, "+el", "+sv", predictor.ToString(), "+pt", pointTransform.ToString());
        var frames = EncodedFrames.Extract(encoded, temp);
        PixelAssert.Equal(Reference.NativePixels(encoded, temp), frames.DecodeAll(JpegLosslessFrameDecoder.Instance),
            frames.Format, $"point transform {pointTransform}");
    }

    [SkippableFact]
    public void GdcmLosslessJpegRoundTrip()
    {
        if (!ExternalTool.RequireCorpus("CT_small.dcm", "gdcmconv"))
            return;
        using var temp = new TempDirectory();
        var source = ExternalTool.Corpus("CT_small.dcm");
        var frames = EncodedFrames.Extract(Reference.Transcode("gdcmconv", source, temp, "--jpeg"), temp);
        PixelAssert.Equal(Reference.NativePixels(source, temp), frames.DecodeAll(JpegLosslessFrameDecoder.Instance),
            frames.Format, "CT_small via gdcmconv --jpeg");
    }

    [SkippableFact]
    public void RestartIntervalsAreHonoured()
    {
        if (!Tools(""))
            return;
        using var temp = new TempDirectory();
        var source = Reference.MakeNative("u16full", temp);
        var frames = EncodedFrames.Extract(Reference.Transcode("dcmcjpeg", source, temp, "+el", "+sv", "6"), temp);
        var expected = Reference.NativePixels(source, temp);
        // dcmcjpeg writes no restart markers, so the stream comes from the test encoder (restarts every 1 and 3 rows).
        foreach (var rowsPerInterval in new[] { 1, 3 })
        {
            var withRestarts = JpegLosslessTestEncoder.Encode(expected, frames.Format, predictor: 6, pointTransform: 0,
                restartInterval: rowsPerInterval * frames.Format.Columns);
            var output = new byte[expected.Length];
            JpegLosslessFrameDecoder.Instance.Decode(withRestarts, frames.Format, output);
            PixelAssert.Equal(expected, output, frames.Format, $"restart every {rowsPerInterval} row(s)");
        }
    }

    [SkippableTheory]
    [InlineData(1)]
    [InlineData(7)]
    public void SixteenBitDifferenceOf32768CarriesNoExtraBits(int predictor)
    {
        var format = new FrameFormat(2, 3, 1, 16, 16, false, 0);
        ushort[] values = [0, 32768, 0, 65535, 32767, 32768];
        var pixels = values.SelectMany(BitConverter.GetBytes).ToArray();
        var encoded = JpegLosslessTestEncoder.Encode(pixels, format, predictor, 0, 0);
        var output = new byte[pixels.Length];
        JpegLosslessFrameDecoder.Instance.Decode(encoded, format, output);
        Assert.Equal(pixels, output);
    }

    [SkippableFact]
    public void RestartMidRowDecodes()
    {
        var format = new FrameFormat(5, 7, 3, 8, 8, false, 0);
        var pixels = Enumerable.Range(0, 5 * 7 * 3).Select(i => (byte)(i * 37 % 251)).ToArray();
        var encoded = JpegLosslessTestEncoder.Encode(pixels, format, 4, 0, restartInterval: 5);
        var output = new byte[pixels.Length];
        JpegLosslessFrameDecoder.Instance.Decode(encoded, format, output);
        Assert.Equal(pixels, output);
    }

    [SkippableFact]
    public void TwelveBitSignedCodestreamIsSignExtended()
    {
        var format = new FrameFormat(2, 3, 1, 16, 12, true, 0);
        short[] values = [-2048, -1, 0, 2047, -100, 5];
        var pixels = values.SelectMany(v => BitConverter.GetBytes(v)).ToArray();
        var encoded = JpegLosslessTestEncoder.Encode(pixels, format, 7, 0, 0); // 12-bit precision
        var output = new byte[pixels.Length];
        JpegLosslessFrameDecoder.Instance.Decode(encoded, format, output);
        Assert.Equal(pixels, output);
    }

    [SkippableFact]
    public void OverfullHuffmanTableIsRejected()
    {
        var format = new FrameFormat(2, 3, 1, 8, 8, false, 0);
        var encoded = JpegLosslessTestEncoder.Encode(new byte[6], format, 1, 0, 0);
        var dht = encoded.AsSpan().IndexOf(new byte[] { 0xFF, 0xC4 });
        encoded[dht + 5] = 3; // three 1-bit codes (still 17 codes in all)
        encoded[dht + 9] = 14;
        var ex = Assert.Throws<PixelDecodeException>(() => JpegLosslessFrameDecoder.Instance.Decode(encoded, format, new byte[6]));
        Assert.Contains("Huffman", ex.Message);
    }

    [SkippableTheory]
    [InlineData(0)]
    [InlineData(7)]
    public void OneScanPerComponentDecodes(int restartInterval)
    {
        var format = new FrameFormat(6, 5, 3, 16, 16, false, 0);
        var pixels = Enumerable.Range(0, 6 * 5 * 3).SelectMany(i => BitConverter.GetBytes((ushort)(i * 7919 % 65536))).ToArray();
        var encoded = JpegLosslessTestEncoder.Encode(pixels, format, 5, 0, restartInterval, scanPerComponent: true);
        var output = new byte[pixels.Length];
        JpegLosslessFrameDecoder.Instance.Decode(encoded, format, output);
        Assert.Equal(pixels, output);
    }

    [SkippableFact]
    public void LayoutMismatchIsReported()
    {
        var format = new FrameFormat(2, 3, 1, 16, 16, false, 0);
        var encoded = JpegLosslessTestEncoder.Encode(new byte[12], format, 1, 0, 0);
        var ex = Assert.Throws<PixelDecodeException>(() =>
            JpegLosslessFrameDecoder.Instance.Decode(encoded, format with { Rows = 3 }, new byte[18]));
        Assert.Contains("3x2", ex.Message);
    }
}
