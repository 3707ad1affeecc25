namespace InnerEye.Grains;

/// <summary>
/// One shard of the job index (see <see cref="IJobIndexGrain"/>), persisted in the "jobs" storage at every change
/// before it answers: local files in the embedded service, Redis in the cluster.
/// </summary>
[JobPlacementFilter]
public sealed class JobIndexGrain([PersistentState("jobindex", "jobs")] IPersistentState<JobIndexState> state) : Grain, IJobIndexGrain
{
    private Dictionary<string, JobIndexEntry> Entries => state.State.Entries;

    public async Task<bool> Add(JobIndexEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (Entries.TryGetValue(entry.SegmentationId, out var known) && known == entry) return true;
        if (!Entries.ContainsKey(entry.SegmentationId) && Entries.Count >= JobIndex.MaxEntriesPerShard) return false;
        Entries[entry.SegmentationId] = entry;
        await state.WriteStateAsync();
        return true;
    }

    public async Task Update(string segmentationId, JobState jobState)
    {
        if (!Entries.TryGetValue(segmentationId, out var entry) || entry.State == jobState) return;
        Entries[segmentationId] = entry with { State = jobState };
        await state.WriteStateAsync();
    }

    public async Task Remove(string segmentationId)
    {
        if (!Entries.Remove(segmentationId)) return;
        if (Entries.Count == 0)
        {
            await state.ClearStateAsync();
            DeactivateOnIdle();
        }
        else await state.WriteStateAsync();
    }

    public Task<JobIndexShard> List(JobIndexQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var bareModel = query.Model is { } m && !m.Contains(':', StringComparison.Ordinal);
        var entries = Entries.Values
            .Where(e => query.Model is null || e.ModelId == query.Model || bareModel && e.ModelId.Split(':', 2)[0] == query.Model)
            .Where(e => query.State is null || e.State == query.State)
            .Where(e => query.Since is null || e.CreatedAt >= query.Since)
            .Where(e => query.BeforeTime is null || e.CreatedAt < query.BeforeTime ||
                e.CreatedAt == query.BeforeTime && string.CompareOrdinal(e.SegmentationId, query.BeforeId) < 0)
            .OrderByDescending(e => e.CreatedAt)
            .ThenByDescending(e => e.SegmentationId, StringComparer.Ordinal)
            .Take(Math.Max(0, query.Limit))
            .ToList();
        return Task.FromResult(new JobIndexShard(entries, Entries.Count >= JobIndex.MaxEntriesPerShard));
    }
}
