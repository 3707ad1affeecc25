using InnerEye.Imaging.Series;
using InnerEye.Imaging.Zip;

namespace InnerEye.Grains;

/// <summary>How segmentation jobs are driven, retried and kept.</summary>
public sealed class SegmentationOptions
{
    /// <summary>Period of the durable "redrive" reminder of an unfinished job (Orleans' minimum is 1 minute).</summary>
    public TimeSpan RedriveInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Due time of the timer that starts (or restarts) a job's run after submit or activation.</summary>
    public TimeSpan StartDelay { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>How many times a transient fault (a lost silo, a failed call) is retried before the job fails.</summary>
    public int MaxTransientRetries { get; set; } = 3;

    /// <summary>Wait before a retry after a transient fault.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How long a job waits for a silo that can host its model (none with a GPU, or the one there was lost) before it
    /// fails with NoModelSilo. Waiting counts no transient fault.
    /// </summary>
    public TimeSpan MaxWaitForModel { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Wait before asking again when every replica's queue is full.</summary>
    public TimeSpan BusyRetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Replicas per model (<c>&lt;modelId&gt;/0</c> … <c>/N-1</c>); a job goes to the least loaded one.</summary>
    public int Replicas { get; set; } = 1;

    /// <summary>How long a finished job's result and state are kept.</summary>
    public TimeSpan RetentionPeriod { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Folder of the result keys: <c>&lt;prefix&gt;/&lt;segmentation id&gt;.dcm</c>.</summary>
    public string ResultPrefix { get; set; } = "results";
}

/// <summary>Where model grains may be placed.</summary>
public sealed class ModelPlacementOptions
{
    public const string AcceleratorKey = "accelerator";
    public const string Gpu = "gpu";

    /// <summary>
    /// When no silo's metadata says <c>accelerator = gpu</c>, place model grains on any silo (the CPU). Off by default
    /// for a cluster; the embedded single-process host turns it on.
    /// </summary>
    public bool AllowCpuFallback { get; set; }
}

/// <summary>How a model replica runs jobs.</summary>
public sealed class ModelGrainOptions
{
    /// <summary>Jobs in the network stage at once.</summary>
    public int Capacity { get; set; } = 1;

    /// <summary>Jobs waiting beyond <see cref="Capacity"/>; one more is refused (the API answers 503).</summary>
    public int MaxQueue { get; set; } = 32;

    /// <summary>
    /// Waiting jobs that may decode their upload (and hold the volume) before the network stage is free, so that
    /// the CPU stages of the next job overlap the network stage of the current one while memory stays bounded.
    /// </summary>
    public int DecodeAhead { get; set; } = 1;

    /// <summary>
    /// Once no job is left in the process, run one compacting collection that returns the pipeline's memory to the
    /// system (a blocking pause of some 100 ms per GB of heap, taken only when idle).
    /// </summary>
    public bool ReleaseMemoryWhenIdle { get; set; } = true;

    /// <summary>A pause at the start of the network stage; for tests that need a job to stay running.</summary>
    public TimeSpan NetworkStageDelay { get; set; } = TimeSpan.Zero;

    /// <summary>
    /// A pause at the start of every pipeline stage (decode, resample, inference, postprocess, contour), cut short by
    /// cancellation; for tests and demonstrations that need a job to sit in a given stage.
    /// </summary>
    public TimeSpan StagePause { get; set; } = TimeSpan.Zero;

    /// <summary>
    /// The forms a result is kept in besides the RT Structure Set (always kept), comma-separated: <c>seg</c>,
    /// <c>labelmap-seg</c>, <c>nifti</c>; empty for none. Each is written when the job completes, while the volume is in memory.
    /// </summary>
    public string ResultFormats { get; set; } = "seg, labelmap-seg, nifti";

    /// <summary>
    /// Render a preview image (PNG, three cuts with the structures' outlines) when a job completes, kept beside the
    /// result for the retention period.
    /// </summary>
    public bool Preview { get; set; } = true;

    /// <summary>The most pixels along a preview panel's longest side (64 to 4096); a larger volume gets larger display pixels.</summary>
    public int PreviewPanelPixels { get; set; } = 512;

    /// <summary>Every problem with the preview settings, each naming its setting.</summary>
    public IEnumerable<string> ValidatePreview()
    {
        if (PreviewPanelPixels is < 64 or > 4096)
            yield return $"ModelGrain:PreviewPanelPixels is {PreviewPanelPixels}; expected 64 to 4096.";
    }

    /// <summary>The formats of <see cref="ResultFormats"/>; a name that is none throws.</summary>
    public IReadOnlyList<ResultFormat> Formats() =>
        [.. ResultFormats.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(name =>
            ResultArtifacts.TryParse(name, out var format)
                ? format
                : throw new ArgumentException($"ModelGrain:ResultFormats names '{name}'; the formats are seg, labelmap-seg and nifti."))];
}

/// <summary>
/// How uploads are decoded (configuration section <c>Decoding</c>). A job's decode holds its volume (4 bytes a voxel)
/// plus, per thread, at most one file of <see cref="MaxEntryBytes"/> and its compressed bytes.
/// </summary>
public sealed class DecodingOptions
{
    /// <summary>Threads that inflate and decode one upload's files at once; 0 = one per core.</summary>
    public int Threads { get; set; }

    /// <summary>Largest file in an upload, inflated.</summary>
    public long MaxEntryBytes { get; set; } = 64L << 20;

    /// <summary>Largest upload, inflated.</summary>
    public long MaxInflatedBytes { get; set; } = 8L << 30;

    /// <summary>Most files (and folders) in one upload's zip.</summary>
    public int MaxEntries { get; set; } = 20_000;

    /// <summary>Largest gantry tilt (degrees) of a series whose slices step obliquely to their normal.</summary>
    public double MaxTiltDegrees { get; set; } = 30;

    public SeriesLoadOptions ToLoadOptions() => SeriesLoadOptions.Default with
    {
        MaxDegreeOfParallelism = Threads > 0 ? Threads : Environment.ProcessorCount,
        MaxEntryBytes = MaxEntryBytes,
        MaxTotalBytes = MaxInflatedBytes,
        Zip = ZipLimits.Default with { MaxEntries = MaxEntries },
        MaxTiltDegrees = MaxTiltDegrees,
    };

    /// <summary>Every problem with the settings, each naming its setting.</summary>
    public IEnumerable<string> Validate()
    {
        if (Threads < 0) yield return $"Decoding:Threads is {Threads}; expected 0 (one per core) or more.";
        if (MaxEntryBytes is < 1024 or > int.MaxValue - 1024) yield return $"Decoding:MaxEntryBytes is {MaxEntryBytes}; expected 1024 to " +
            $"{int.MaxValue - 1024}.";
        if (MaxInflatedBytes < MaxEntryBytes) yield return "Decoding:MaxInflatedBytes must be at least Decoding:MaxEntryBytes.";
        if (MaxEntries < 1) yield return $"Decoding:MaxEntries is {MaxEntries}; expected 1 or more.";
        if (!(MaxTiltDegrees is >= 0 and < 90)) yield return $"Decoding:MaxTiltDegrees is {MaxTiltDegrees}; expected 0 (straight stacks only) " +
            "to less than 90.";
    }
}
