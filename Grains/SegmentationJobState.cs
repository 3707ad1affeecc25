namespace InnerEye.Grains;

/// <summary>The persisted state of a segmentation job.</summary>
[GenerateSerializer, Alias("InnerEye.SegmentationJobState")]
public sealed class SegmentationJobState
{
    /// <summary>The model as requested; null until a job is submitted.</summary>
    [Id(0)] public string? ModelId { get; set; }
    [Id(1)] public ArtifactRef? Input { get; set; }
    [Id(2)] public JobState State { get; set; }
    [Id(3)] public string? Stage { get; set; }
    [Id(4)] public int Progress { get; set; }
    [Id(5)] public string? ErrorCode { get; set; }
    [Id(6)] public string? ErrorDetail { get; set; }
    [Id(7)] public DateTimeOffset CreatedAt { get; set; }
    [Id(8)] public DateTimeOffset UpdatedAt { get; set; }
    [Id(9)] public ArtifactRef? Result { get; set; }
    [Id(10)] public List<StageTime> Stages { get; set; } = [];

    /// <summary>Model runs started, 1-based; progress from an older run is ignored.</summary>
    [Id(11)] public int Attempts { get; set; }

    /// <summary>Transient faults so far.</summary>
    [Id(12)] public int TransientFailures { get; set; }

    [Id(13)] public bool InputDeleted { get; set; }

    /// <summary>Where a job that DICOMweb started came from; null for an upload.</summary>
    [Id(14)] public DicomWebOrigin? Origin { get; set; }

    /// <summary>The result's deliveries, one a destination of the origin's rule, set when the job completes.</summary>
    [Id(15)] public List<DeliveryStatus> Deliveries { get; set; } = [];

    /// <summary>Whether every delivery grain has taken its delivery.</summary>
    [Id(16)] public bool DeliveriesStarted { get; set; }

    /// <summary>The submitting API key's client name; null for a job the service started (DICOMweb).</summary>
    [Id(17)] public string? Client { get; set; }

    /// <summary>The keyed hash of the StudyInstanceUID (audit trail), once known: at submit for DICOMweb, after decoding otherwise.</summary>
    [Id(18)] public string? StudyHash { get; set; }

    /// <summary>The job index grain that lists this job (<c>yyyy-MM-dd/shard</c>); null until it is listed.</summary>
    [Id(19)] public string? IndexKey { get; set; }

    /// <summary>The W3C traceparent of the request that submitted the job: the parent of the job's activities.</summary>
    [Id(20)] public string? TraceParent { get; set; }

    public bool Submitted => ModelId is not null;

    public bool IsTerminal => State is JobState.Completed or JobState.Failed or JobState.Cancelled;
}
