using System.Numerics;
using System.Runtime.InteropServices;
using InnerEye.Imaging.Dicom;
using InnerEye.Imaging.Pixels;

namespace InnerEye.Imaging.Series;

/// <summary>Stored pixel values → modality values (HU for CT): bits stored, sign, padding, then slope and intercept.</summary>
internal static class HuConverter
{
    public readonly record struct Rescale(double Slope, double Intercept, int? Padding, int? PaddingLimit, float PaddingValue);

    public static Rescale RescaleOf(DicomDataset ds, FrameFormat format, string modality) => RescaleOf(ds, ds, format, modality);

    /// <summary>
    /// Slope and intercept from <paramref name="transform"/> (a multi-frame image's Pixel Value Transformation
    /// functional group, or the data set itself), padding from the data set's Image Pixel module.
    /// </summary>
    public static Rescale RescaleOf(DicomDataset ds, DicomDataset transform, FrameFormat format, string modality) => new(
        transform.GetDouble(DicomTags.RescaleSlope) ?? 1.0,
        transform.GetDouble(DicomTags.RescaleIntercept) ?? 0.0,
        AsStored(ds.GetInt32(DicomTags.PixelPaddingValue), format),
        AsStored(ds.GetInt32(DicomTags.PixelPaddingRangeLimit), format),
        // Padding marks pixels outside the scanned field; for CT they read as air.
        modality == "CT" ? -1024f : 0f);

    /// <summary>Padding values are written as US or SS whatever the pixels' sign; read them as the pixels are read.</summary>
    private static int? AsStored(int? value, FrameFormat format)
    {
        if (value is not { } v || !format.IsSigned || format.BitsAllocated != 16) return value;
        return (short)(ushort)v;
    }

    public static void Convert(ReadOnlySpan<byte> samples, FrameFormat format, Rescale rescale, Span<float> destination)
    {
        var slope = (float)rescale.Slope;
        var intercept = (float)rescale.Intercept;
        switch (format.BitsAllocated)
        {
            case 16 when format.BitsStored == 16 && rescale.Padding is null:
                if (format.IsSigned) Affine(MemoryMarshal.Cast<byte, short>(samples), slope, intercept, destination);
                else Affine(MemoryMarshal.Cast<byte, ushort>(samples), slope, intercept, destination);
                break;
            case 16:
            {
                var values = MemoryMarshal.Cast<byte, ushort>(samples);
                for (var i = 0; i < destination.Length; i++) destination[i] = Map(values[i], format, rescale, slope, intercept);
                break;
            }
            case 8:
                for (var i = 0; i < destination.Length; i++) destination[i] = Map(samples[i], format, rescale, slope, intercept);
                break;
            default:
            {
                var values = MemoryMarshal.Cast<byte, uint>(samples);
                for (var i = 0; i < destination.Length; i++) destination[i] = Map(values[i], format, rescale, slope, intercept);
                break;
            }
        }
    }

    private static void Affine(ReadOnlySpan<short> values, float slope, float intercept, Span<float> destination)
    {
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var s = new Vector<float>(slope);
            var b = new Vector<float>(intercept);
            var input = MemoryMarshal.Cast<short, Vector<short>>(values[..destination.Length]);
            var output = MemoryMarshal.Cast<float, Vector<float>>(destination);
            for (var v = 0; v < input.Length; v++)
            {
                Vector.Widen(input[v], out var low, out var high);
                output[2 * v] = Vector.ConvertToSingle(low) * s + b;
                output[2 * v + 1] = Vector.ConvertToSingle(high) * s + b;
            }
            i = input.Length * Vector<short>.Count;
        }
        for (; i < destination.Length; i++) destination[i] = values[i] * slope + intercept;
    }

    private static void Affine(ReadOnlySpan<ushort> values, float slope, float intercept, Span<float> destination)
    {
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var s = new Vector<float>(slope);
            var b = new Vector<float>(intercept);
            var input = MemoryMarshal.Cast<ushort, Vector<ushort>>(values[..destination.Length]);
            var output = MemoryMarshal.Cast<float, Vector<float>>(destination);
            for (var v = 0; v < input.Length; v++)
            {
                Vector.Widen(input[v], out var low, out var high);
                output[2 * v] = Vector.ConvertToSingle(Vector.AsVectorInt32(low)) * s + b;
                output[2 * v + 1] = Vector.ConvertToSingle(Vector.AsVectorInt32(high)) * s + b;
            }
            i = input.Length * Vector<ushort>.Count;
        }
        for (; i < destination.Length; i++) destination[i] = values[i] * slope + intercept;
    }

    private static float Map(uint raw, FrameFormat format, Rescale rescale, float slope, float intercept)
    {
        var shift = 32 - format.BitsStored;
        var stored = format.IsSigned ? (long)((int)(raw << shift) >> shift) : (raw << shift) >> shift;
        if (rescale.Padding is { } pad)
        {
            var limit = rescale.PaddingLimit ?? pad;
            if (stored >= Math.Min(pad, limit) && stored <= Math.Max(pad, limit)) return rescale.PaddingValue;
        }
        return stored * slope + intercept;
    }
}
