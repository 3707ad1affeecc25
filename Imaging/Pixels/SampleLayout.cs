using System.Buffers.Binary;

namespace InnerEye.Imaging.Pixels;

/// <summary>Converts decoded samples to the output layout: little-endian, BitsAllocated wide, interleaved by pixel.</summary>
internal static class SampleLayout
{
    /// <param name="source">Samples of <paramref name="sourceBytes"/> (1 or 2) bytes in native (little-endian) order.</param>
    /// <param name="planar">True when the source holds one whole plane per sample instead of interleaved pixels.</param>
    public static void Copy(ReadOnlySpan<byte> source, int sourceBytes, bool planar, FrameFormat format, Span<byte> destination)
    {
        var pixels = format.Rows * format.Columns;
        var samples = format.SamplesPerPixel;
        var outBytes = format.BytesPerSample;
        for (var c = 0; c < samples; c++)
        {
            for (var p = 0; p < pixels; p++)
            {
                var inIndex = planar ? c * pixels + p : p * samples + c;
                int value = sourceBytes == 1 ? source[inIndex] : BinaryPrimitives.ReadUInt16LittleEndian(source[(2 * inIndex)..]);
                var outIndex = p * samples + c;
                if (outBytes == 1)
                    destination[outIndex] = (byte)value;
                else
                    BinaryPrimitives.WriteUInt16LittleEndian(destination[(2 * outIndex)..], (ushort)value);
            }
        }
    }

    /// <summary>
    /// For signed data, copies bit Bits Stored - 1 into the unused high bits of each 16-bit container, so samples read
    /// as two's complement numbers whatever the encoder kept above Bits Stored (codestreams differ: dcmtk codes the
    /// sign-extended container, gdcm only the stored bits). Only the high bits, which are not pixel data, change.
    /// </summary>
    public static void SignExtend(FrameFormat format, Span<byte> destination)
    {
        if (!format.IsSigned || format.BytesPerSample != 2 || format.BitsStored >= 16)
            return;
        var shift = 16 - format.BitsStored;
        for (var i = 0; i + 1 < destination.Length; i += 2)
        {
            var v = (short)(BinaryPrimitives.ReadUInt16LittleEndian(destination[i..]) << shift);
            BinaryPrimitives.WriteInt16LittleEndian(destination[i..], (short)(v >> shift));
        }
    }
}
