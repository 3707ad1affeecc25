using System.Buffers.Binary;
using InnerEye.Imaging.Pixels;
using InnerEye.Imaging.Tests.Support;
using Xunit;

namespace InnerEye.Imaging.Tests.Pixels;

public sealed class RleFrameDecoderTests
{
    [SkippableTheory]
    [InlineData("MR_small_RLE.dcm")]
    [InlineData("SC_rgb_rle.dcm")]
    [InlineData("SC_rgb_rle_2frame.dcm")]
    [InlineData("SC_rgb_rle_16bit.dcm")]
    [InlineData("SC_rgb_rle_16bit_2frame.dcm")]
    [InlineData("SC_rgb_rle_32bit.dcm")]
    [InlineData("SC_rgb_rle_32bit_2frame.dcm")]
    [InlineData("rtdose_rle.dcm")]
    [InlineData("rtdose_rle_1frame.dcm")]
    public void CorpusFileMatchesDcmtk(string name)
    {
        if (!ExternalTool.RequireCorpus(name, "dcmdrle"))
            return;
        using var temp = new TempDirectory();
        var frames = EncodedFrames.Extract(ExternalTool.Corpus(name), temp);
        var expected = Reference.NativePixels(ExternalTool.Corpus(name), temp);
        PixelAssert.Equal(expected, frames.DecodeAll(RleFrameDecoder.Instance), frames.Format, name);
    }

    [SkippableTheory]
    [InlineData("CT_small.dcm", "")]
    [InlineData("MR_small.dcm", "")]
    [InlineData("", "u16full")]
    [InlineData("", "rgb8")]
    [InlineData("", "u8")]
    [InlineData("", "s12")]
    public void DcmcrleRoundTripIsLossless(string corpus, string synthetic)
    {
        if (!ExternalTool.Require(ExternalTool.Python, "dcmcrle") || (corpus != "" && !ExternalTool.RequireCorpus(corpus)))
            return;
        using var temp = new TempDirectory();
        var source = corpus != "" ? ExternalTool.Corpus(corpus) : Reference.MakeNative(synthetic, temp);
        var encoded = Reference.Transcode("dcmcrle", source, temp);
        var frames = EncodedFrames.Extract(encoded, temp);
        var expected = Reference.NativePixels(source, temp);
        PixelAssert.Equal(expected, frames.DecodeAll(RleFrameDecoder.Instance), frames.Format, $"{corpus}{synthetic} via dcmcrle");
    }

    [SkippableFact]
    public void GdcmRleRoundTripIsLossless()
    {
        if (!ExternalTool.RequireCorpus("CT_small.dcm", "gdcmconv"))
            return;
        using var temp = new TempDirectory();
        var source = ExternalTool.Corpus("CT_small.dcm");
        var frames = EncodedFrames.Extract(Reference.Transcode("gdcmconv", source, temp, "--rle"), temp);
        PixelAssert.Equal(Reference.NativePixels(source, temp), frames.DecodeAll(RleFrameDecoder.Instance), frames.Format,
            "CT_small via gdcmconv --rle");
    }

    private static readonly FrameFormat Mono8 = new(2, 3, 1, 8, 8, false, 0);

    private static byte[] Frame(uint count, uint[] offsets, params byte[] segments)
    {
        var data = new byte[64 + segments.Length];
        BinaryPrimitives.WriteUInt32LittleEndian(data, count);
        for (var i = 0; i < offsets.Length; i++)
            BinaryPrimitives.WriteUInt32LittleEndian(data.AsSpan(4 + 4 * i), offsets[i]);
        segments.CopyTo(data, 64);
        return data;
    }

    [SkippableFact]
    public void DecodesHandBuiltLiteralAndReplicateRuns()
    {
        // literal 2 bytes (1,2), no-op (-128), replicate 4 x 9
        var frame = Frame(1, [64], 0x01, 1, 2, 0x80, 0xFD, 9);
        var output = new byte[6];
        RleFrameDecoder.Instance.Decode(frame, Mono8, output);
        Assert.Equal(new byte[] { 1, 2, 9, 9, 9, 9 }, output);
    }

    [SkippableFact]
    public void ToleratesPaddingBeyondTheLastPixel()
    {
        var frame = Frame(1, [64], 0xF9, 7, 0x00, 0);
        var output = new byte[6];
        RleFrameDecoder.Instance.Decode(frame, Mono8, output);
        Assert.Equal(new byte[] { 7, 7, 7, 7, 7, 7 }, output);
    }

    [SkippableFact]
    public void SixteenBitPlanesBecomeLittleEndianSamples()
    {
        var format = new FrameFormat(1, 2, 1, 16, 16, false, 0);
        // high bytes: 0x12, 0x34; low bytes: 0x56, 0x78
        var frame = Frame(2, [64, 67], 0x01, 0x12, 0x34, 0x01, 0x56, 0x78);
        var output = new byte[4];
        RleFrameDecoder.Instance.Decode(frame, format, output);
        Assert.Equal(new byte[] { 0x56, 0x12, 0x78, 0x34 }, output);
    }

    public static TheoryData<string, byte[]> CorruptFrames() => new()
    {
        { "empty", [] },
        { "short header", new byte[40] },
        { "15 segments past the end", Frame(15, [64, 1000, 2000, 3000, 4000, 5000, 6000, 7000, 8000, 9000, 10000, 11000, 12000, 13000, 14000], 0x05,
            1, 2, 3, 4, 5, 6) },
        { "wrong segment count", Frame(2, [64, 66], 0xFB, 1, 0xFB, 2) },
        { "offset past the end", Frame(1, [5000], 0x05, 1, 2, 3, 4, 5, 6) },
        { "offset inside header", Frame(1, [12], 0x05, 1, 2, 3, 4, 5, 6) },
        { "literal overruns segment", Frame(1, [64], 0x7F, 1, 2, 3) },
        { "replicate without byte", Frame(1, [64], 0x01, 1, 2, 0xFE) },
        { "too few pixels", Frame(1, [64], 0x01, 1, 2) },
    };

    [SkippableTheory]
    [MemberData(nameof(CorruptFrames))]
    public void CorruptFrameThrowsPixelDecodeException(string what, byte[] frame)
    {
        var output = new byte[6];
        var ex = Assert.Throws<PixelDecodeException>(() => RleFrameDecoder.Instance.Decode(frame, Mono8, output));
        Assert.Contains("RLE", ex.Message);
        _ = what;
    }

    [SkippableFact]
    public void SegmentsPastTheEndAreRejectedForMultiSegmentLayouts()
    {
        var rgb16 = new FrameFormat(2, 3, 3, 16, 16, false, 0);
        var frame = Frame(6, [64, 70, 76, 1000, 2000, 3000], new byte[18]);
        var ex = Assert.Throws<PixelDecodeException>(() => RleFrameDecoder.Instance.Decode(frame, rgb16, new byte[rgb16.FrameBytes]));
        Assert.Contains("segment 4", ex.Message);
    }

    [SkippableFact]
    public void DescendingOffsetsAreRejected()
    {
        var format = new FrameFormat(1, 2, 1, 16, 16, false, 0);
        var frame = Frame(2, [67, 64], 0x01, 0x12, 0x34, 0x01, 0x56, 0x78);
        Assert.Throws<PixelDecodeException>(() => RleFrameDecoder.Instance.Decode(frame, format, new byte[4]));
    }

    [SkippableFact]
    public void WrongDestinationSizeIsAnArgumentError()
    {
        var frame = Frame(1, [64], 0xFB, 1);
        Assert.Throws<ArgumentException>(() => RleFrameDecoder.Instance.Decode(frame, Mono8, new byte[5]));
    }
}
