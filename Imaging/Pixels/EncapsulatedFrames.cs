using System.Buffers.Binary;
using InnerEye.Imaging.Dicom;

namespace InnerEye.Imaging.Pixels;

/// <summary>Finds which fragments of encapsulated pixel data make up a frame (PS3.5 A.4).</summary>
internal static class EncapsulatedFrames
{
    public static IReadOnlyList<Range> Locate(DicomDataset dataset, IReadOnlyList<Range> fragments, int frameCount, int frame)
    {
        if (fragments.Count < 2) throw new PixelDecodeException("NoFragments", "Encapsulated Pixel Data holds no fragments.");
        var data = fragments.Skip(1).ToList();
        if (frameCount <= 1) return data;
        if (data.Count == frameCount) return [data[frame]];

        // Use the Basic Offset Table: offsets are from the first byte of the first fragment's item header.
        var table = dataset.Buffer.AsSpan(fragments[0]);
        if (table.Length < 4 * frameCount)
            throw new PixelDecodeException("AmbiguousFrames",
                $"{data.Count} fragments hold {frameCount} frames and there is no Basic Offset Table to tell them apart.");
        var firstItem = data[0].Start.Value - 8;
        var start = BinaryPrimitives.ReadUInt32LittleEndian(table[(4 * frame)..]);
        var end = frame + 1 < frameCount ? BinaryPrimitives.ReadUInt32LittleEndian(table[(4 * (frame + 1))..]) : uint.MaxValue;
        var result = data.Where(f => f.Start.Value - 8 - firstItem >= start && f.Start.Value - 8 - firstItem < end).ToList();
        if (result.Count == 0) throw new PixelDecodeException("BadOffsetTable", $"The Basic Offset Table points frame {frame + 1} at no fragment.");
        return result;
    }
}
