using System.Buffers.Text;
using System.Globalization;
using System.Text;
using InnerEye.Grains;

namespace InnerEye.Gateway.Api.Jobs;

/// <summary>
/// Which jobs to list, newest first: of a model (<c>Id</c>: every version; <c>Id:Version</c>: jobs submitted naming
/// that version), in a state, created at or after <see cref="Since"/>; <see cref="Limit"/> a page (1 to
/// <see cref="MaxLimit"/>), from the <see cref="Cursor"/> a previous page gave as <c>next</c>.
/// </summary>
public sealed record JobListQuery(string? Model = null, JobState? State = null, DateTimeOffset? Since = null, int Limit = JobListQuery.DefaultLimit,
    string? Cursor = null)
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 500;

    /// <summary>The states a list can be filtered by, as the query names them.</summary>
    public static readonly IReadOnlyList<string> StateNames = [.. Enum.GetNames<JobState>().Select(n => n.ToLowerInvariant())];

    /// <summary>The state <paramref name="name"/> names, ignoring case; a number or a list of names is none.</summary>
    public static bool TryParseState(string name, out JobState state)
    {
        foreach (var value in Enum.GetValues<JobState>())
        {
            if (!value.ToString().Equals(name, StringComparison.OrdinalIgnoreCase)) continue;
            state = value;
            return true;
        }
        state = default;
        return false;
    }
}

/// <summary>A page of jobs and the cursor of the next page (null on the last one).</summary>
public sealed record JobListPage(IReadOnlyList<JobListItem> Items, string? Next);

/// <summary>
/// A job as the list shows it: its state as the index holds it, and its stage, overall progress (0–100) and last change
/// read from the job itself.
/// </summary>
public sealed record JobListItem(string SegmentationId, string ModelId, string State, string? Stage, int Progress, string? Client,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, string? ErrorCode);

/// <summary>The opaque position in the newest-first order: the last listed job's creation time and id, base64url.</summary>
public static class JobListCursor
{
    public static string Of(DateTimeOffset createdAt, string segmentationId) =>
        Base64Url.EncodeToString(Encoding.ASCII.GetBytes($"{createdAt.UtcTicks.ToString(CultureInfo.InvariantCulture)}.{segmentationId}"));

    /// <summary>The position; false for anything this service did not hand out.</summary>
    public static bool TryParse(string cursor, out DateTimeOffset createdAt, out string segmentationId)
    {
        createdAt = default;
        segmentationId = "";
        string text;
        try
        {
            text = Encoding.ASCII.GetString(Base64Url.DecodeFromChars(cursor));
        }
        catch (FormatException)
        {
            return false;
        }
        var dot = text.IndexOf('.', StringComparison.Ordinal);
        if (dot < 0 || !long.TryParse(text.AsSpan(0, dot), NumberStyles.None, CultureInfo.InvariantCulture, out var ticks) ||
            ticks > DateTimeOffset.MaxValue.UtcTicks || !SegmentationService.IsValidId(text[(dot + 1)..]))
            return false;
        createdAt = new DateTimeOffset(ticks, TimeSpan.Zero);
        segmentationId = text[(dot + 1)..];
        return true;
    }
}
