using System.Diagnostics;
using InnerEye.Imaging.Dicom;
using InnerEye.Imaging.Pixels;
using InnerEye.Imaging.Tests.Support;
using Xunit;

namespace InnerEye.Imaging.Tests.Pixels;

/// <summary>
/// Truncated, garbage and randomly mutated frames must end in <see cref="PixelDecodeException"/> (or a successful
/// decode), never another exception, a crash of the process, or a hang.
/// </summary>
public sealed class CorruptInputTests
{
    private const int Mutations = 200;

    public static TheoryData<string> Codecs() => ["rle", "jpeg-lossless", "jpeg-baseline", "jpeg-ls", "jpeg2000", "jpeg2000-lossy"];

    /// <summary>A valid frame for each codec; null (after a loud skip) when the tools or library are missing.</summary>
    private static (IFrameDecoder Decoder, byte[] Frame, FrameFormat Format)? ValidFrame(string codec, TempDirectory temp)
    {
        switch (codec)
        {
            case "jpeg-lossless":
            {
                var format = new FrameFormat(24, 19, 3, 16, 16, false, 0);
                var rng = new Random(7);
                var pixels = new byte[format.FrameBytes];
                for (var i = 0; i < pixels.Length; i += 2)
                    BitConverter.TryWriteBytes(pixels.AsSpan(i), (ushort)((i * 97) + rng.Next(0, 300)));
                return (JpegLosslessFrameDecoder.Instance, JpegLosslessTestEncoder.Encode(pixels, format, 6, 0, 19 * 4), format);
            }
            case "rle":
                return FromCorpus(RleFrameDecoder.Instance, "MR_small_RLE.dcm", temp);
            case "jpeg-baseline":
                return FromCorpus(JpegBaselineFrameDecoder.Instance, "SC_rgb_jpeg_dcmtk.dcm", temp);
            case "jpeg-ls":
                if (!JpegLsFrameDecoder.IsAvailable && !ExternalTool.Require("libcharls.so.2"))
                    return null;
                return FromCorpus(JpegLsFrameDecoder.Instance, "MR_small_jpeg_ls_lossless.dcm", temp);
            case "jpeg2000":
                if (!Jpeg2000FrameDecoder.IsAvailable && !ExternalTool.Require("libopenjp2.so.7"))
                    return null;
                return FromCorpus(Jpeg2000FrameDecoder.Instance, "MR_small_jp2klossless.dcm", temp);
            case "jpeg2000-lossy":
                if (!Jpeg2000FrameDecoder.IsAvailable && !ExternalTool.Require("libopenjp2.so.7"))
                    return null;
                return FromCorpus(Jpeg2000FrameDecoder.Instance, "JPEG2000.dcm", temp);
            default:
                throw new ArgumentOutOfRangeException(nameof(codec));
        }
    }

    private static (IFrameDecoder, byte[], FrameFormat)? FromCorpus(IFrameDecoder decoder, string name, TempDirectory temp)
    {
        if (!ExternalTool.RequireCorpus(name))
            return null;
        var frames = EncodedFrames.Extract(ExternalTool.Corpus(name), temp);
        return (decoder, frames.Frames[0], frames.Format);
    }

    private static byte[] Mutate(byte[] original, Random rng)
    {
        var data = original.ToList();
        var kind = rng.Next(7);
        switch (kind)
        {
            case 0: // flip a few bits
                for (var i = rng.Next(1, 9); i > 0; i--)
                    data[rng.Next(data.Count)] ^= (byte)(1 << rng.Next(8));
                break;
            case 1: // random bytes, biased to the headers
                for (var i = rng.Next(1, 5); i > 0; i--)
                    data[rng.Next(Math.Min(data.Count, rng.Next(2) == 0 ? 200 : data.Count))] = (byte)rng.Next(256);
                break;
            case 2: // truncate
                data = data.Take(rng.Next(data.Count)).ToList();
                break;
            case 3: // marker confusion
                for (var i = rng.Next(1, 4); i > 0; i--)
                    data[rng.Next(data.Count)] = 0xFF;
                break;
            case 4: // insert garbage
                data.InsertRange(rng.Next(data.Count), Enumerable.Range(0, rng.Next(1, 64)).Select(_ => (byte)rng.Next(256)));
                break;
            case 5: // delete a range
            {
                var start = rng.Next(data.Count);
                data.RemoveRange(start, rng.Next(Math.Min(256, data.Count - start)));
                break;
            }
            default: // extreme 32-bit value in the first part of the stream (lengths, sizes, offsets)
            {
                var at = rng.Next(Math.Max(1, Math.Min(data.Count - 4, 160)));
                uint[] extremes = [0, 0xFFFFFFFF, 0x7FFFFFFF, 0x8000, 0xFFFF, 1];
                var v = BitConverter.GetBytes(extremes[rng.Next(extremes.Length)]);
                for (var i = 0; i < 4 && at + i < data.Count; i++)
                    data[at + i] = v[i];
                break;
            }
        }
        return [.. data];
    }

    [SkippableTheory]
    [MemberData(nameof(Codecs))]
    public void SeededMutationsOnlyRaisePixelDecodeException(string codec)
    {
        using var temp = new TempDirectory();
        if (ValidFrame(codec, temp) is not var (decoder, frame, format))
            return;
        var output = new byte[format.FrameBytes];
        decoder.Decode(frame, format, output); // the unmutated frame decodes
        var rejected = 0;
        for (var seed = 0; seed < Mutations; seed++)
        {
            var mutated = Mutate(frame, new Random(seed));
            var watch = Stopwatch.StartNew();
            try
            {
                decoder.Decode(mutated, format, output);
            }
            catch (PixelDecodeException)
            {
                rejected++;
            }
            catch (Exception e)
            {
                Assert.Fail($"{codec} mutation {seed}: {e.GetType().Name} escaped: {e.Message}");
            }
            if (watch.ElapsedMilliseconds > 100)
                Console.Error.WriteLine($"{codec} mutation {seed} took {watch.ElapsedMilliseconds} ms");
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"{codec} mutation {seed} took {watch.Elapsed}");
        }
        Assert.True(rejected > 0, $"{codec}: no mutation was rejected");
    }

    [SkippableTheory]
    [MemberData(nameof(Codecs))]
    public void TruncationsAndGarbageAreRejected(string codec)
    {
        using var temp = new TempDirectory();
        if (ValidFrame(codec, temp) is not var (decoder, frame, format))
            return;
        var output = new byte[format.FrameBytes];
        foreach (var length in new[] { 0, 1, 2, 3, 4, 10, 64, frame.Length / 3, frame.Length / 2 })
            Assert.Throws<PixelDecodeException>(() => decoder.Decode(frame.AsSpan(0, Math.Min(length, frame.Length)), format, output));
        var rng = new Random(42);
        for (var i = 0; i < 20; i++)
        {
            var garbage = new byte[rng.Next(1, 4096)];
            rng.NextBytes(garbage);
            Assert.Throws<PixelDecodeException>(() => decoder.Decode(garbage, format, output));
        }
    }

    [SkippableFact]
    public void DecodersAreSafeToCallInParallel()
    {
        using var temp = new TempDirectory();
        string[] codecs = ["rle", "jpeg-lossless", "jpeg-baseline", "jpeg-ls", "jpeg2000", "jpeg2000-lossy"];
        var cases = codecs.Select(codec => ValidFrame(codec, temp)).Where(c => c is not null).Select(c => c!.Value).ToList();
        foreach (var (decoder, frame, format) in cases)
        {
            var expected = new byte[format.FrameBytes];
            decoder.Decode(frame, format, expected);
            Parallel.For(0, 64, new ParallelOptions { MaxDegreeOfParallelism = 8 }, _ =>
            {
                var output = new byte[format.FrameBytes];
                decoder.Decode(frame, format, output);
                Assert.Equal(expected, output);
            });
        }
    }
}

public sealed class FrameDecodersTests
{
    [SkippableFact]
    public void EveryEncapsulatedSyntaxHasADecoder()
    {
        foreach (var ts in TransferSyntax.All.Where(t => t.Encapsulated))
        {
            try
            {
                Assert.NotNull(FrameDecoders.For(ts));
            }
            catch (CodecUnavailableException e)
            {
                Assert.Equal(ts.Uid, e.TransferSyntaxUid);
                Assert.Contains(e.Package, new[] { "libcharls2", "libopenjp2-7" });
                Console.Error.WriteLine($"*** {e.Message} ***");
            }
        }
    }

    [SkippableFact]
    public void MapsEncodingsToDecoders()
    {
        Assert.IsType<RleFrameDecoder>(FrameDecoders.For(TransferSyntax.RleLossless));
        Assert.IsType<JpegLosslessFrameDecoder>(FrameDecoders.For(TransferSyntax.JpegLosslessSV1));
        Assert.IsType<JpegLosslessFrameDecoder>(FrameDecoders.For(TransferSyntax.JpegLosslessNonHierarchical));
        Assert.IsType<JpegBaselineFrameDecoder>(FrameDecoders.For(TransferSyntax.JpegBaseline8Bit));
        Assert.IsType<JpegBaselineFrameDecoder>(FrameDecoders.For(TransferSyntax.JpegExtended12Bit));
        if (JpegLsFrameDecoder.IsAvailable)
            Assert.IsType<JpegLsFrameDecoder>(FrameDecoders.For(TransferSyntax.JpegLsNearLossless));
        if (Jpeg2000FrameDecoder.IsAvailable)
            Assert.IsType<Jpeg2000FrameDecoder>(FrameDecoders.For(TransferSyntax.Jpeg2000Lossless));
        Assert.Throws<ArgumentException>(() => FrameDecoders.For(TransferSyntax.ExplicitVRLittleEndian));
    }

    [SkippableFact]
    public void NativeLibrariesArePresentOnThisMachine()
    {
        // Debian packages libcharls2 and libopenjp2-7 are build prerequisites; under CI their absence is a failure.
        if (!JpegLsFrameDecoder.IsAvailable)
            ExternalTool.Require("libcharls.so.2 (Debian package libcharls2)");
        if (!Jpeg2000FrameDecoder.IsAvailable)
            ExternalTool.Require("libopenjp2.so.7 (Debian package libopenjp2-7)");
    }
}
