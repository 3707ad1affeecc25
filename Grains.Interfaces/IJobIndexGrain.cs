namespace InnerEye.Grains;

/// <summary>
/// One shard of the job index, keyed <c>"&lt;yyyy-MM-dd&gt;/&lt;n&gt;"</c>: the jobs created on that UTC day, at most
/// <see cref="JobIndex.MaxEntriesPerShard"/> a shard (shard n + 1 takes the day's jobs once n is full). The segmentation
/// grain adds its job, updates its state on each change of state (queued, running, ended; not on progress) and removes it
/// when the retention period deletes the job.
/// </summary>
public interface IJobIndexGrain : IGrainWithStringKey
{
    /// <summary>Adds (or replaces) the job's entry; false, with nothing added, when the shard is full.</summary>
    Task<bool> Add(JobIndexEntry entry);

    Task Update(string segmentationId, JobState state);

    Task Remove(string segmentationId);

    /// <summary>The entries that match, newest first, at most <see cref="JobIndexQuery.Limit"/>; and whether the shard is full.</summary>
    Task<JobIndexShard> List(JobIndexQuery query);
}

public static class JobIndex
{
    /// <summary>The most entries one index grain holds (about 150 bytes each).</summary>
    public const int MaxEntriesPerShard = 1000;

    public static string DayOf(DateTimeOffset createdAt) =>
        createdAt.UtcDateTime.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    public static string Key(string day, int shard) => $"{day}/{shard}";
}

/// <summary>A job as the index lists it: the model as requested, the client that submitted it, when, and its state.</summary>
[GenerateSerializer, Immutable, Alias("InnerEye.JobIndexEntry")]
public sealed record JobIndexEntry(
    [property: Id(0)] string SegmentationId,
    [property: Id(1)] string ModelId,
    [property: Id(2)] string? Client,
    [property: Id(3)] DateTimeOffset CreatedAt,
    [property: Id(4)] JobState State);

/// <summary>
/// Which entries to list: of the model (<c>Id</c> or <c>Id:Version</c>; a bare id matches every version), in the state,
/// created at or after <see cref="Since"/>, and before the position (<see cref="BeforeTime"/>, <see cref="BeforeId"/>)
/// in the newest-first order (creation time, then id, both descending).
/// </summary>
[GenerateSerializer, Immutable, Alias("InnerEye.JobIndexQuery")]
public sealed record JobIndexQuery(
    [property: Id(0)] string? Model,
    [property: Id(1)] JobState? State,
    [property: Id(2)] DateTimeOffset? Since,
    [property: Id(3)] DateTimeOffset? BeforeTime,
    [property: Id(4)] string? BeforeId,
    [property: Id(5)] int Limit);

[GenerateSerializer, Immutable, Alias("InnerEye.JobIndexShard")]
public sealed record JobIndexShard([property: Id(0)] IReadOnlyList<JobIndexEntry> Entries, [property: Id(1)] bool Full);
