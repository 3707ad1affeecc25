using System.Buffers;
using System.Buffers.Binary;
using InnerEye.Imaging.Dicom;

namespace InnerEye.Imaging.Pixels;

/// <summary>Gets the stored values of one frame out of a parsed file, decoding compressed pixel data as needed.</summary>
public static class PixelDataReader
{
    /// <summary>The frame's pixel layout as the data set states it; throws when the Image Pixel module is incomplete.</summary>
    public static FrameFormat FormatOf(DicomDataset dataset)
    {
        int Required(DicomTag tag) => dataset.GetInt32(tag) is { } v and >= 0 ? v
            : throw new DicomFormatException("MissingPixelModule", $"The image lacks {DicomDictionary.KeywordOf(tag)} {tag}.");
        var format = new FrameFormat(
            Required(DicomTags.Rows), Required(DicomTags.Columns), dataset.GetInt32(DicomTags.SamplesPerPixel) ?? 1,
            Required(DicomTags.BitsAllocated), dataset.GetInt32(DicomTags.BitsStored) ?? Required(DicomTags.BitsAllocated),
            dataset.GetInt32(DicomTags.PixelRepresentation) == 1, dataset.GetInt32(DicomTags.PlanarConfiguration) ?? 0);
        if (format.Rows == 0 || format.Columns == 0 || format.BitsAllocated is not (8 or 16 or 32)
            || format.BitsStored < 1 || format.BitsStored > format.BitsAllocated || format.SamplesPerPixel is < 1 or > 4)
        {
            throw new DicomFormatException("UnsupportedPixelFormat",
                $"Unsupported pixel layout: {format.Rows}x{format.Columns}, {format.SamplesPerPixel} samples, {format.BitsAllocated} bits " +
                $"allocated, {format.BitsStored} stored.");
        }

        if (format.FrameBytes > MaxFrameBytes)
            throw new DicomFormatException("FrameTooLarge",
                $"A {format.Rows}x{format.Columns} frame of {format.SamplesPerPixel} samples of {format.BitsAllocated} bits is larger than the " +
                $"{MaxFrameBytes >> 20} MiB this reader accepts.");
        return format;
    }

    /// <summary>
    /// Checks that Pixel Data holds <paramref name="frames"/> frames before anything is sized by that claim: native data
    /// must be at least frames × frame bytes long, encapsulated data must have a fragment per frame at least (a fragment
    /// never holds data of two frames, PS3.5 A.4).
    /// </summary>
    public static void CheckFrameCount(DicomFile file, FrameFormat format, int frames)
    {
        if (frames < 1) throw new PixelDecodeException("PixelDataTooShort", $"An image of {frames} frames has no pixels to read.");
        var element = PixelElement(file.Dataset);
        if (file.Dataset.Fragments(element) is { } fragments)
        {
            if (fragments.Count - 1 < frames)
            {
                throw new PixelDecodeException("PixelDataTooShort",
                    $"NumberOfFrames claims {frames} frames but the encapsulated Pixel Data holds {fragments.Count - 1} fragment(s); every frame " +
                    "needs at least one.");
            }

            return;
        }
        var needed = format.FrameBytes * frames;
        if (needed > element.Length)
        {
            throw new PixelDecodeException("PixelDataTooShort",
                $"NumberOfFrames claims {frames} frames of {format.Columns}x{format.Rows}x{format.SamplesPerPixel} samples of " +
                $"{format.BitsAllocated} bits ({needed} bytes), but Pixel Data holds {element.Length} bytes.");
        }
    }

    /// <summary>A 16384×16384 16-bit frame; larger claims are refused before anything is allocated.</summary>
    public const long MaxFrameBytes = 1L << 29;

    /// <summary>
    /// Native data: the frame's bytes straight from the file buffer (no copy) when they are little-endian.
    /// Returns false for encapsulated or big-endian data, which <see cref="DecodeFrame"/> handles.
    /// </summary>
    public static bool TryGetNativeFrame(DicomFile file, FrameFormat format, int frame, out ReadOnlyMemory<byte> bytes)
    {
        bytes = default;
        if (file.TransferSyntax.Encapsulated || file.TransferSyntax.BigEndian && format.BitsAllocated > 8) return false;
        var element = PixelElement(file.Dataset);
        if (file.Dataset.Fragments(element) is not null) return false;
        var offset = format.FrameBytes * frame;
        if (offset + format.FrameBytes > element.Length)
        {
            throw new PixelDecodeException("PixelDataTooShort",
                $"Pixel Data holds {element.Length} bytes, too few for frame {frame + 1} of " +
                $"{format.Rows}x{format.Columns}x{format.SamplesPerPixel} samples of {format.BitsAllocated} bits.");
        }

        bytes = file.Dataset.ValueMemory(element).Slice((int)offset, (int)format.FrameBytes);
        return true;
    }

    /// <summary>Decodes a frame into little-endian samples, interleaved by pixel.</summary>
    public static void DecodeFrame(DicomFile file, FrameFormat format, int frame, Span<byte> destination)
    {
        if (destination.Length != format.FrameBytes) throw new ArgumentException("Destination must hold exactly one frame.", nameof(destination));
        var dataset = file.Dataset;
        var element = PixelElement(dataset);
        var fragments = dataset.Fragments(element);
        if (fragments is null)
        {
            if (file.TransferSyntax.Encapsulated)
                throw new PixelDecodeException("NotEncapsulated",
                    $"{file.TransferSyntax} requires encapsulated pixel data, but Pixel Data has a defined length.");
            var offset = format.FrameBytes * frame;
            if (offset + format.FrameBytes > element.Length)
                throw new PixelDecodeException("PixelDataTooShort", $"Pixel Data holds {element.Length} bytes, too few for frame {frame + 1}.");
            var source = dataset.ValueBytes(element).Slice((int)offset, (int)format.FrameBytes);
            if (file.TransferSyntax.BigEndian) SwapToLittleEndian(source, format.BytesPerSample, destination);
            else source.CopyTo(destination);
            return;
        }
        if (!file.TransferSyntax.Encapsulated)
            throw new PixelDecodeException("UnexpectedEncapsulation",
                $"Pixel Data is encapsulated but the transfer syntax is {file.TransferSyntax}.");
        var decoder = FrameDecoders.For(file.TransferSyntax);
        var frames = dataset.GetInt32(DicomTags.NumberOfFrames) ?? 1;
        var ranges = EncapsulatedFrames.Locate(dataset, fragments, frames, frame);
        if (ranges.Count == 1)
        {
            decoder.Decode(dataset.Buffer.AsSpan(ranges[0]), format, destination);
            return;
        }
        var total = ranges.Sum(r => r.GetOffsetAndLength(dataset.Buffer.Length).Length);
        var joined = ArrayPool<byte>.Shared.Rent(total);
        try
        {
            var at = 0;
            foreach (var r in ranges)
            {
                dataset.Buffer.AsSpan(r).CopyTo(joined.AsSpan(at));
                at += r.GetOffsetAndLength(dataset.Buffer.Length).Length;
            }
            decoder.Decode(joined.AsSpan(0, total), format, destination);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(joined);
        }
    }

    private static DicomElement PixelElement(DicomDataset dataset) =>
        dataset.TryGet(DicomTags.PixelData, out var e) ? e : throw new DicomFormatException("NoPixelData",
            "The data set has no Pixel Data (7FE0,0010).");

    private static void SwapToLittleEndian(ReadOnlySpan<byte> source, int bytesPerSample, Span<byte> destination)
    {
        switch (bytesPerSample)
        {
            case 1: source.CopyTo(destination); break;
            case 2:
                BinaryPrimitives.ReverseEndianness(System.Runtime.InteropServices.MemoryMarshal.Cast<byte, ushort>(source),
                    System.Runtime.InteropServices.MemoryMarshal.Cast<byte, ushort>(destination));
                break;
            default:
                BinaryPrimitives.ReverseEndianness(System.Runtime.InteropServices.MemoryMarshal.Cast<byte, uint>(source),
                    System.Runtime.InteropServices.MemoryMarshal.Cast<byte, uint>(destination));
                break;
        }
    }
}
