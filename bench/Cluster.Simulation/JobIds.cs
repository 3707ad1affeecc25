using System.Globalization;

namespace InnerEye.Cluster.Simulation;

/// <summary>The segmentation ids of the simulation's jobs (<c>sim-000042</c>) and the keys of their artifacts.</summary>
public static class JobIds
{
    public const string ModelId = "PassThroughModel:1729";
    private const string Prefix = "sim-";
    private const string ResultFolder = "results/";

    public static string Of(int index) => FormattableString.Invariant($"{Prefix}{index:D6}");

    public static string InputKey(int index) => $"inputs/{Of(index)}.zip";

    /// <summary>The job of a result key (<c>results/sim-000042.dcm</c>), or null for any other key.</summary>
    public static int? OfResultKey(string key)
    {
        if (!key.StartsWith(ResultFolder + Prefix, StringComparison.Ordinal) || !key.EndsWith(".dcm", StringComparison.Ordinal)) return null;
        var digits = key.AsSpan(ResultFolder.Length + Prefix.Length, key.Length - ResultFolder.Length - Prefix.Length - 4);
        return int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var index) ? index : null;
    }
}
