using System.Buffers.Binary;

namespace InnerEye.Imaging.Pixels;

/// <summary>
/// DICOM RLE Lossless (PS3.5 Annex G): a 64-byte header of segment count and offsets, then one PackBits segment
/// per byte plane (most significant byte first) of each sample. Output is little-endian and interleaved.
/// </summary>
public sealed class RleFrameDecoder : IFrameDecoder
{
    private const string Codec = "RLE Lossless";
    private const int HeaderLength = 64;
    private const int MaxSegments = 15;

    public static RleFrameDecoder Instance { get; } = new();

    public void Decode(ReadOnlySpan<byte> encoded, FrameFormat format, Span<byte> destination)
    {
        FrameChecks.Validate(Codec, format, destination.Length);
        var bytesPerSample = format.BytesPerSample;
        var samples = format.SamplesPerPixel;
        var expectedSegments = bytesPerSample * samples;
        if (expectedSegments > MaxSegments)
            throw FrameChecks.Unsupported(Codec, $"{samples} samples of {format.BitsAllocated} bits need {expectedSegments} segments, more than 15");
        if (encoded.Length < HeaderLength)
            throw FrameChecks.Corrupt(Codec, $"{encoded.Length} bytes is shorter than the 64-byte RLE header");

        var count = BinaryPrimitives.ReadUInt32LittleEndian(encoded);
        if (count != expectedSegments)
            throw FrameChecks.Corrupt(Codec,
                $"header declares {count} segments but {samples} sample(s) of {format.BitsAllocated} bits need {expectedSegments}");

        Span<int> offsets = stackalloc int[MaxSegments + 1];
        for (var i = 0; i < expectedSegments; i++)
        {
            var offset = BinaryPrimitives.ReadUInt32LittleEndian(encoded.Slice(4 + 4 * i));
            if (offset < HeaderLength || offset > (uint)encoded.Length)
                throw FrameChecks.Corrupt(Codec, $"segment {i + 1} starts at offset {offset}, outside the {encoded.Length}-byte frame");
            if (i > 0 && offset < offsets[i - 1])
                throw FrameChecks.Corrupt(Codec, $"segment {i + 1} offset {offset} is before segment {i}'s offset {offsets[i - 1]}");
            offsets[i] = (int)offset;
        }
        offsets[expectedSegments] = encoded.Length;

        var pixels = format.Rows * format.Columns;
        var stride = samples * bytesPerSample;
        for (var segment = 0; segment < expectedSegments; segment++)
        {
            var sample = segment / bytesPerSample;
            var plane = segment % bytesPerSample; // 0 = most significant byte
            var firstByte = sample * bytesPerSample + (bytesPerSample - 1 - plane);
            ReadOnlySpan<byte> source = encoded[offsets[segment]..offsets[segment + 1]];
            var produced = DecodeSegment(source, destination[firstByte..], stride, pixels);
            if (produced < pixels)
                throw FrameChecks.Corrupt(Codec, $"segment {segment + 1} decodes to {produced} bytes but the frame has {pixels} pixels");
        }
    }

    /// <summary>
    /// Decodes one PackBits segment into every <paramref name="stride"/>-th byte of <paramref name="output"/>,
    /// stopping after <paramref name="pixels"/> bytes (any excess, such as padding, is ignored).
    /// </summary>
    private static int DecodeSegment(ReadOnlySpan<byte> source, Span<byte> output, int stride, int pixels)
    {
        var inPos = 0;
        var outCount = 0;
        var outPos = 0;
        while (inPos < source.Length && outCount < pixels)
        {
            int header = (sbyte)source[inPos++];
            if (header >= 0)
            {
                var length = header + 1;
                if (length > source.Length - inPos)
                    throw FrameChecks.Corrupt(Codec, $"a literal run of {length} bytes overruns its segment");
                var take = Math.Min(length, pixels - outCount);
                if (stride == 1)
                {
                    source.Slice(inPos, take).CopyTo(output.Slice(outPos, take));
                    outPos += take;
                }
                else
                {
                    for (var i = 0; i < take; i++, outPos += stride)
                        output[outPos] = source[inPos + i];
                }
                outCount += take;
                inPos += length;
            }
            else if (header != -128)
            {
                if (inPos >= source.Length)
                    throw FrameChecks.Corrupt(Codec, "a replicate run is missing its byte at the end of a segment");
                var value = source[inPos++];
                var take = Math.Min(1 - header, pixels - outCount);
                if (stride == 1)
                {
                    output.Slice(outPos, take).Fill(value);
                    outPos += take;
                }
                else
                {
                    for (var i = 0; i < take; i++, outPos += stride)
                        output[outPos] = value;
                }
                outCount += take;
            }
        }
        return outCount;
    }
}
