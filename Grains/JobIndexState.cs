namespace InnerEye.Grains;

/// <summary>The persisted state of one job index shard: its entries by segmentation id.</summary>
[GenerateSerializer, Alias("InnerEye.JobIndexState")]
public sealed class JobIndexState
{
    [Id(0)] public Dictionary<string, JobIndexEntry> Entries { get; set; } = new(StringComparer.Ordinal);
}
