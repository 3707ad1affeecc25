namespace InnerEye.Gateway.Api.Ui;

/// <summary>
/// The jobs the <c>/ui</c> list shows, newest first. The web page reads jobs only through this interface, so that the
/// index of jobs behind it is registered in one place.
/// </summary>
public interface IJobListing
{
    Task<JobListPage> ListAsync(JobListFilter filter, CancellationToken ct);
}

/// <summary>A page of the list: jobs of <see cref="ModelId"/> (any version; null for every model) in <see cref="State"/> (null for any).</summary>
public sealed record JobListFilter(string? ModelId, string? State, int Skip, int Take);

/// <param name="More">Whether jobs older than the last of <paramref name="Jobs"/> match the filter.</param>
public sealed record JobListPage(IReadOnlyList<JobListEntry> Jobs, bool More);

/// <summary>One job as the list shows it; <see cref="Client"/> names the API key it was submitted with.</summary>
public sealed record JobListEntry(string SegmentationId, string ModelId, string State, string? Stage, DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt, string? Client);
