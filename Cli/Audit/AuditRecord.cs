using System.Globalization;
using System.Text.Json;

namespace InnerEye.Cli.Audit;

/// <summary>
/// One line of the service's audit trail: a JSON object with camelCase fields, <c>time</c> (UTC, ISO 8601) required, the
/// others optional. <see cref="Line"/> is the line as written, which <c>--json</c> passes through unchanged.
/// </summary>
public sealed record AuditRecord(
    DateTimeOffset Time, string? Client, string? Action, string? Route, int? Status, string? ModelId, string? ModelVersion,
    string? SegmentationId, string? StudyHash, long? Bytes, string? Outcome, string Line)
{
    /// <summary>The actions the service records.</summary>
    public static readonly string[] Actions = ["submit", "status", "download", "cancel", "list", "retention-delete", "delivery", "stow", "preview"];

    /// <summary>The record on <paramref name="line"/>, or null with the reason it is malformed.</summary>
    public static AuditRecord? Parse(string line, out string? problem)
    {
        problem = null;
        try
        {
            using var doc = JsonDocument.Parse(line);
            var o = doc.RootElement;
            if (o.ValueKind != JsonValueKind.Object)
            {
                problem = $"a JSON {o.ValueKind.ToString().ToLowerInvariant()}, not an object";
                return null;
            }
            if (!o.TryGetProperty("time", out var time) || time.ValueKind != JsonValueKind.String
                || !DateTimeOffset.TryParse(time.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
            {
                problem = "no ISO 8601 'time'";
                return null;
            }
            return new AuditRecord(at.ToUniversalTime(), Text(o, "client"), Text(o, "action"), Text(o, "route"), (int?)Number(o, "status"),
                Text(o, "modelId"), Text(o, "modelVersion"), Text(o, "segmentationId"), Text(o, "studyHash"), Number(o, "bytes"),
                Text(o, "outcome"), line.Trim());
        }
        catch (JsonException e)
        {
            problem = $"not JSON ({e.Message})";
            return null;
        }
    }

    private static string? Text(JsonElement o, string name) => o.TryGetProperty(name, out var v) ? v.ValueKind switch
    {
        JsonValueKind.String => v.GetString(),
        JsonValueKind.Null or JsonValueKind.Undefined => null,
        _ => v.GetRawText(),
    } : null;

    private static long? Number(JsonElement o, string name) =>
        o.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var n) ? n : null;
}
