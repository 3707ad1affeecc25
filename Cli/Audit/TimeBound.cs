using System.Globalization;
using System.Text.RegularExpressions;

namespace InnerEye.Cli.Audit;

/// <summary>A <c>--since</c>/<c>--until</c> value: an ISO 8601 date or time (UTC unless it says otherwise) or an age such as 30m, 2h, 7d.</summary>
public static partial class TimeBound
{
    [GeneratedRegex(@"^(\d{1,7})(s|m|h|d|w)$")]
    private static partial Regex Age();

    public const string Forms = "an ISO 8601 date or time (2026-12-01, 2026-12-01T08:30:00Z) or an age such as 30m, 2h, 7d, 2w";

    public static DateTimeOffset? Parse(string text, DateTimeOffset now)
    {
        var age = Age().Match(text.Trim());
        if (age.Success)
        {
            var n = int.Parse(age.Groups[1].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture);
            var span = age.Groups[2].Value switch
            {
                "s" => TimeSpan.FromSeconds(n),
                "m" => TimeSpan.FromMinutes(n),
                "h" => TimeSpan.FromHours(n),
                "d" => TimeSpan.FromDays(n),
                _ => TimeSpan.FromDays(7.0 * n),
            };
            return now - span;
        }
        const DateTimeStyles styles = DateTimeStyles.AssumeUniversal | DateTimeStyles.AllowWhiteSpaces;
        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, styles, out var at)
            ? at.ToUniversalTime()
            : null;
    }
}
