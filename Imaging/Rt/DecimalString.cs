using System.Globalization;

namespace InnerEye.Imaging.Rt;

/// <summary>
/// Formats numbers as DICOM Decimal String values (PS3.5 6.2: at most 16 bytes). Coordinates are written with three
/// decimals as RTConvert writes them ("F3", micrometre resolution), which keeps every value of a real patient
/// coordinate far below 16 characters; larger magnitudes drop decimals and, beyond that, fall back to exponent form.
/// </summary>
internal static class DecimalString
{
    public const int MaxLength = 16;

    private static readonly string[] FixedFormats = ["F3", "F2", "F1", "F0"];

    private static readonly string[] ExponentFormats = [.. Enumerable.Range(0, 10).Select(d => "0." + new string('#', 9 - d) + "E+0")];

    /// <summary>Writes the value as ASCII into <paramref name="destination"/> (at least 16 bytes) and returns the length.</summary>
    public static int Format(double value, Span<byte> destination)
    {
        if (!double.IsFinite(value)) throw new ArgumentException($"{value} cannot be written as a decimal string.", nameof(value));
        var rounded = Math.Round(value, 3, MidpointRounding.AwayFromZero);
        if (rounded == 0) rounded = 0; // no "-0.000"
        var scratch = destination.Length >= 24 ? destination : stackalloc byte[24];
        foreach (var format in FixedFormats)
        {
            if (rounded.TryFormat(scratch, out var written, format, CultureInfo.InvariantCulture) && written <= MaxLength)
                return Copy(scratch, written, destination);
        }
        // Beyond that (|value| ≥ 1e15): exponent form, "-1.797693135E+308" losing significant digits until it fits.
        foreach (var format in ExponentFormats)
        {
            // Rounding up near double.MaxValue can leave the range; such a text would read back as infinity.
            if (value.TryFormat(scratch, out var written, format, CultureInfo.InvariantCulture) && written <= MaxLength
                && double.TryParse(scratch[..written], NumberStyles.Float, CultureInfo.InvariantCulture, out var back) && double.IsFinite(back))
            {
                return Copy(scratch, written, destination);
            }
        }
        throw new ArgumentException($"{value} does not fit a 16-character decimal string.", nameof(value));
    }

    public static string Format(double value)
    {
        Span<byte> buffer = stackalloc byte[24];
        var n = Format(value, buffer);
        return System.Text.Encoding.ASCII.GetString(buffer[..n]);
    }

    private static int Copy(Span<byte> scratch, int length, Span<byte> destination)
    {
        if (length > destination.Length) throw new ArgumentException("Destination is too short.", nameof(destination));
        if (!scratch.Overlaps(destination)) scratch[..length].CopyTo(destination);
        return length;
    }
}
