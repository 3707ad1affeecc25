using System.Globalization;

namespace InnerEye.Imaging.Seg;

/// <summary>
/// Decimal Strings (at most 16 characters) with as many significant digits as fit, for geometry that readers compare
/// with the source's (direction cosines, positions, spacings): the shortest text that reads back as the same double
/// when it fits, else fewer significant digits until it does.
/// </summary>
internal static class PreciseDecimal
{
    public static string Format(double value)
    {
        if (!double.IsFinite(value)) throw new ArgumentException($"{value} cannot be written as a decimal string.", nameof(value));
        if (value == 0) return "0";
        var text = value.ToString("R", CultureInfo.InvariantCulture);
        for (var digits = 15; text.Length > 16 && digits > 0; digits--)
            text = value.ToString("G" + digits.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        if (text.Length > 16) throw new ArgumentException($"{value} does not fit a 16-character decimal string.", nameof(value));
        return text;
    }

    public static string Join(IEnumerable<double> values) => string.Join('\\', values.Select(Format));
}
