using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using JpegLibrary;

namespace InnerEye.Imaging.Pixels;

/// <summary>
/// JPEG Baseline (1.2.840.10008.1.2.4.50, 8-bit) and Extended (.51, 8/12-bit) through the managed JpegLibrary
/// package. Colour is returned as coded (YCbCr stays YCbCr, subsampled planes upsampled by replication); the
/// photometric interpretation tells the caller what it holds. A stream that turns out to be lossless (SOF3) is
/// handed to <see cref="JpegLosslessFrameDecoder"/>.
/// </summary>
public sealed unsafe class JpegBaselineFrameDecoder : IFrameDecoder
{
    internal const string Codec = "JPEG";

    public static JpegBaselineFrameDecoder Instance { get; } = new();

    public void Decode(ReadOnlySpan<byte> encoded, FrameFormat format, Span<byte> destination)
    {
        FrameChecks.Validate(Codec, format, destination.Length, allow32Bit: false);
        if (encoded.Length < 4 || encoded[0] != 0xFF || encoded[1] != 0xD8)
            throw FrameChecks.Corrupt(Codec, "the data does not start with a JPEG SOI marker");
        if (FirstFrameMarker(encoded) == 0xC3)
        {
            JpegLosslessFrameDecoder.Instance.Decode(encoded, format, destination);
            return;
        }

        var input = ArrayPool<byte>.Shared.Rent(encoded.Length);
        try
        {
            encoded.CopyTo(input);
            var decoder = new JpegDecoder();
            decoder.SetInput(new ReadOnlyMemory<byte>(input, 0, encoded.Length));
            decoder.Identify();
            if (decoder.Width != format.Columns || decoder.Height != format.Rows)
                throw FrameChecks.Corrupt(Codec,
                    $"the codestream is {decoder.Width}x{decoder.Height} but the data set says {format.Columns}x{format.Rows}");
            if (decoder.NumberOfComponents != format.SamplesPerPixel)
                throw FrameChecks.Corrupt(Codec,
                    $"the codestream has {decoder.NumberOfComponents} components but the data set says {format.SamplesPerPixel} samples per pixel");
            if (decoder.Precision is not (8 or 12) || decoder.Precision > format.BitsAllocated)
                throw FrameChecks.Unsupported(Codec, $"{decoder.Precision}-bit samples in {format.BitsAllocated} bits allocated");
            fixed (byte* output = destination)
            {
                decoder.SetOutputWriter(new Writer(output, format, decoder.Precision));
                decoder.Decode();
            }
        }
        catch (Exception e) when (e is not ImagingException and not OutOfMemoryException)
        {
            throw new PixelDecodeException("CorruptPixelData", $"{Codec} frame is corrupt: {e.Message}", e);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(input);
        }
    }

    /// <summary>The first SOFn marker byte, or 0 when none is found before the scan.</summary>
    private static byte FirstFrameMarker(ReadOnlySpan<byte> data)
    {
        var pos = 2;
        while (pos + 4 <= data.Length && data[pos] == 0xFF)
        {
            var marker = data[pos + 1];
            if (marker == 0xFF)
            {
                pos++;
                continue;
            }
            if (marker is >= 0xC0 and <= 0xCF and not 0xC4 and not 0xC8 and not 0xCC)
                return marker;
            if (marker == 0xDA)
                return 0;
            pos += 2 + BinaryPrimitives.ReadUInt16BigEndian(data[(pos + 2)..]);
        }
        return 0;
    }

    private sealed class Writer(byte* output, FrameFormat format, int precision) : JpegBlockOutputWriter
    {
        private readonly int _max = (1 << precision) - 1;

        public override void WriteBlock(ref short blockRef, int componentIndex, int x, int y)
        {
            int width = format.Columns, height = format.Rows, samples = format.SamplesPerPixel;
            int w = Math.Min(8, width - x), h = Math.Min(8, height - y);
            if (w <= 0 || h <= 0 || (uint)componentIndex >= (uint)samples)
                return;
            for (var j = 0; j < h; j++)
            {
                var o = ((y + j) * width + x) * samples + componentIndex;
                for (var i = 0; i < w; i++, o += samples)
                {
                    var v = Math.Clamp((int)Unsafe.Add(ref blockRef, j * 8 + i), 0, _max);
                    if (format.BitsAllocated == 8)
                        output[o] = (byte)v;
                    else
                        ((ushort*)output)[o] = (ushort)v; // little-endian hosts only (x64/arm64)
                }
            }
        }
    }
}
