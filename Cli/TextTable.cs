using System.Globalization;

namespace InnerEye.Cli;

/// <summary>Rows of text cells as aligned lines.</summary>
internal static class TextTable
{
    /// <summary>Columns padded to their widest cell, two spaces apart; the last column is not padded.</summary>
    public static string Format(string[] header, IReadOnlyList<string[]> rows)
    {
        var widths = header.Select((h, i) => rows.Select(r => r[i].Length).Append(h.Length).Max()).ToArray();
        var w = new StringWriter(CultureInfo.InvariantCulture);
        foreach (var row in rows.Prepend(header))
            w.WriteLine(string.Join("  ", row.Select((cell, i) => i == row.Length - 1 ? cell : cell.PadRight(widths[i]))).TrimEnd());
        return w.ToString();
    }
}
