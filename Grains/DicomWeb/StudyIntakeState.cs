namespace InnerEye.Grains.DicomWeb;

/// <summary>A segmentation being started: its id is fixed (and persisted) before its input is assembled and it is submitted.</summary>
[GenerateSerializer, Immutable, Alias("InnerEye.PendingStart")]
public sealed record PendingStart([property: Id(0)] string SegmentationId, [property: Id(1)] int RouteIndex,
    [property: Id(2)] IReadOnlyDictionary<string, CompletedSeries> SeriesByChannel);

/// <summary>The persisted state of a study's intake.</summary>
[GenerateSerializer, Alias("InnerEye.StudyIntakeState")]
public sealed class StudyIntakeState
{
    /// <summary>Complete series waiting for the other channels of their rule: rule index → channel → series.</summary>
    [Id(0)] public Dictionary<int, Dictionary<string, CompletedSeries>> Waiting { get; set; } = [];

    /// <summary>When each rule's first waiting series arrived.</summary>
    [Id(1)] public Dictionary<int, DateTimeOffset> WaitingSince { get; set; } = [];

    [Id(2)] public List<PendingStart> Pending { get; set; } = [];

    /// <summary>The latest round taken of each series, so that a round handed twice starts one job.</summary>
    [Id(3)] public Dictionary<string, int> Taken { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The segmentations started for the study, oldest first.</summary>
    [Id(4)] public List<string> Segmentations { get; set; } = [];

    /// <summary>
    /// The series each multi-channel rule last started with: rule index → channel → series. A late instance routes its
    /// series again, and the other channels are taken from here.
    /// </summary>
    [Id(5)] public Dictionary<int, Dictionary<string, CompletedSeries>> LastStarted { get; set; } = [];

    /// <summary>The study's UID (the grain's key is a hash of it).</summary>
    [Id(6)] public string? StudyInstanceUid { get; set; }

    public bool HasWork => Waiting.Count > 0 || Pending.Count > 0;
}
