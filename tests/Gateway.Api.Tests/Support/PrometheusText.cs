using System.Globalization;

namespace InnerEye.Gateway.Api.Tests.Support;

/// <summary>Reads samples out of Prometheus text exposition: the sum of a metric's samples whose labels include the given ones.</summary>
public static class PrometheusText
{
    public static double Sum(string text, string metric, params (string Name, string Value)[] labels) =>
        Sum([text], metric, labels);

    public static double Sum(IEnumerable<string> texts, string metric, params (string Name, string Value)[] labels)
    {
        var total = 0.0;
        foreach (var line in texts.SelectMany(t => t.Split('\n')))
        {
            if (line.StartsWith('#') || !line.StartsWith(metric, StringComparison.Ordinal)) continue;
            var rest = line[metric.Length..];
            if (rest.Length == 0 || (rest[0] != '{' && rest[0] != ' ')) continue;
            var labelText = rest[0] == '{' ? rest[1..rest.IndexOf('}', StringComparison.Ordinal)] : "";
            if (!labels.All(l => labelText.Contains($"{l.Name}=\"{l.Value}\"", StringComparison.Ordinal))) continue;
            var value = rest[(rest.LastIndexOf(' ') + 1)..].Trim();
            total += double.Parse(value, CultureInfo.InvariantCulture);
        }
        return total;
    }
}
