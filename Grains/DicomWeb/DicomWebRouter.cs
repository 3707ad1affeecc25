using System.Text.RegularExpressions;

namespace InnerEye.Grains.DicomWeb;

/// <summary>A series' match: the rule (by index) and the model channel it feeds ("" for a single-channel rule).</summary>
public sealed record RouteMatch(int RouteIndex, DicomWebRoute Route, string RouteName, string Channel);

/// <summary>Applies the ordered routing rules to a series: the first rule whose every condition holds wins.</summary>
public sealed class DicomWebRouter
{
    private static readonly TimeSpan RegexTimeout = TimeSpan.FromMilliseconds(200);
    private readonly IReadOnlyList<DicomWebRoute> _routes;
    private readonly Dictionary<string, Regex> _patterns = new(StringComparer.Ordinal);

    public DicomWebRouter(IReadOnlyList<DicomWebRoute> routes)
    {
        _routes = routes ?? throw new ArgumentNullException(nameof(routes));
        foreach (var match in routes.SelectMany(r => r.Channels.Values.Append(r.Match)))
        {
            foreach (var pattern in new[] { match.BodyPartExamined, match.SeriesDescription, match.StudyDescription, match.ProtocolName })
            {
                if (pattern is not null && !_patterns.ContainsKey(pattern))
                    _patterns[pattern] = new Regex(pattern, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, RegexTimeout);
            }
        }
    }

    public static string NameOf(DicomWebRoute route, int index) => string.IsNullOrWhiteSpace(route.Name) ? $"route-{index}" : route.Name;

    /// <summary>The first rule (and channel) the series matches; null when none does.</summary>
    public RouteMatch? Route(SeriesAttributes series)
    {
        ArgumentNullException.ThrowIfNull(series);
        for (var i = 0; i < _routes.Count; i++)
        {
            var route = _routes[i];
            if (!Holds(route.Match, series)) continue;
            if (route.Channels.Count == 0) return new RouteMatch(i, route, NameOf(route, i), "");
            foreach (var (channel, match) in route.Channels.OrderBy(c => c.Key, StringComparer.Ordinal))
            {
                if (Holds(match, series)) return new RouteMatch(i, route, NameOf(route, i), channel);
            }
        }
        return null;
    }

    public bool Holds(SeriesMatch match, SeriesAttributes series)
    {
        ArgumentNullException.ThrowIfNull(match);
        return Same(match.Modality, series.Modality) && Same(match.Manufacturer, series.Manufacturer) &&
            Found(match.BodyPartExamined, series.BodyPartExamined) && Found(match.SeriesDescription, series.SeriesDescription) &&
            Found(match.StudyDescription, series.StudyDescription) && Found(match.ProtocolName, series.ProtocolName) &&
            (match.MinSliceThickness is not { } min || series.SliceThickness >= min) &&
            (match.MaxSliceThickness is not { } max || series.SliceThickness <= max);
    }

    private static bool Same(string? wanted, string? actual) =>
        wanted is null || string.Equals(wanted.Trim(), actual?.Trim(), StringComparison.OrdinalIgnoreCase);

    private bool Found(string? pattern, string? actual)
    {
        if (pattern is null) return true;
        try
        {
            return _patterns[pattern].IsMatch(actual ?? "");
        }
        catch (RegexMatchTimeoutException)
        {
            return false;
        }
    }
}
