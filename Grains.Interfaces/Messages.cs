namespace InnerEye.Grains;

/// <summary>A blob in the artifact store, by key (e.g. <c>inputs/&lt;id&gt;.zip</c>, <c>results/&lt;id&gt;.dcm</c>).</summary>
[GenerateSerializer, Immutable, Alias("InnerEye.ArtifactRef")]
public sealed record ArtifactRef([property: Id(0)] string Key);

/// <summary>
/// A request to segment the upload at <see cref="Input"/> with <see cref="ModelId"/>, named as requested
/// (<c>Id</c> or <c>Id:Version</c>, e.g. <c>PassThroughModel:1729</c>). <see cref="Client"/> is the submitting API key's
/// client name (null for a job the service started itself).
/// </summary>
[GenerateSerializer, Immutable, Alias("InnerEye.SubmitSegmentation")]
public sealed record SubmitSegmentation([property: Id(0)] string ModelId, [property: Id(1)] ArtifactRef Input,
    [property: Id(2)] DicomWebOrigin? Origin = null, [property: Id(3)] string? Client = null);

public enum JobState
{
    Queued,
    Running,
    Completed,
    Failed,
    Cancelled,
}

/// <summary>When a job entered a state or a pipeline stage (<see cref="Stage"/> is a state name, lower case, or a stage name).</summary>
[GenerateSerializer, Immutable, Alias("InnerEye.StageTime")]
public sealed record StageTime([property: Id(0)] string Stage, [property: Id(1)] DateTimeOffset At);

/// <summary>
/// Where a segmentation stands. <see cref="Stage"/> and <see cref="Progress"/> (0–100 within the stage) are set while
/// running; <see cref="ErrorCode"/> and <see cref="ErrorDetail"/> when failed; <see cref="Result"/> (the RT Structure
/// Set) when completed. <see cref="Stages"/> lists when each state and stage began, in order. A job that DICOMweb
/// started has its <see cref="Origin"/>, and once completed the <see cref="Deliveries"/> of its result. <see cref="Client"/>
/// submitted it; <see cref="StudyHash"/> is the keyed hash of its StudyInstanceUID once known (for the audit trail).
/// </summary>
[GenerateSerializer, Immutable, Alias("InnerEye.SegmentationStatus")]
public sealed record SegmentationStatus(
    [property: Id(0)] string SegmentationId,
    [property: Id(1)] string ModelId,
    [property: Id(2)] JobState State,
    [property: Id(3)] string? Stage,
    [property: Id(4)] int Progress,
    [property: Id(5)] string? ErrorCode,
    [property: Id(6)] string? ErrorDetail,
    [property: Id(7)] DateTimeOffset CreatedAt,
    [property: Id(8)] DateTimeOffset UpdatedAt,
    [property: Id(9)] ArtifactRef? Result,
    [property: Id(10)] IReadOnlyList<StageTime> Stages,
    [property: Id(11)] DicomWebOrigin? Origin = null,
    [property: Id(12)] IReadOnlyList<DeliveryStatus>? Deliveries = null,
    [property: Id(13)] string? Client = null,
    [property: Id(14)] string? StudyHash = null)
{
    public bool IsTerminal => State is JobState.Completed or JobState.Failed or JobState.Cancelled;
}

/// <summary>
/// One run of a model over an upload. <see cref="SegmentationId"/> and <see cref="Attempt"/> name the run (progress is
/// reported to that segmentation grain); the RT Structure Set is written to <see cref="ResultKey"/>. <see cref="TraceParent"/>
/// is the W3C traceparent of the job's activity, the parent of the run's stage activities.
/// </summary>
[GenerateSerializer, Immutable, Alias("InnerEye.ModelJob")]
public sealed record ModelJob(
    [property: Id(0)] string SegmentationId,
    [property: Id(1)] int Attempt,
    [property: Id(2)] string ModelId,
    [property: Id(3)] ArtifactRef Input,
    [property: Id(4)] string ResultKey,
    [property: Id(5)] string? TraceParent = null);

/// <summary>
/// The outcome of a <see cref="ModelJob"/>: the RT Structure Set, or a permanent input error (an Imaging or Inference
/// error code and message). Transient faults are thrown, not returned. <see cref="StudyHash"/> is the keyed hash of the
/// decoded series' StudyInstanceUID.
/// </summary>
[GenerateSerializer, Immutable, Alias("InnerEye.ModelJobResult")]
public sealed record ModelJobResult(
    [property: Id(0)] ArtifactRef? Result,
    [property: Id(1)] string? ErrorCode,
    [property: Id(2)] string? ErrorDetail,
    [property: Id(3)] string? StudyHash = null)
{
    public bool Succeeded => Result is not null;

    public static ModelJobResult Success(ArtifactRef result, string? studyHash = null) => new(result, null, null, studyHash);

    public static ModelJobResult Failure(string code, string detail) => new(null, code, detail);
}

/// <summary>
/// A model replica's load: jobs waiting for the network stage (decoding included), jobs in it, how many may run it
/// at once, how many jobs it takes in all before it refuses more, and how many it has completed since it activated.
/// </summary>
[GenerateSerializer, Immutable, Alias("InnerEye.ModelGrainLoad")]
public sealed record ModelGrainLoad([property: Id(0)] int Queued, [property: Id(1)] int Running, [property: Id(2)] int Capacity,
    [property: Id(3)] int Limit, [property: Id(4)] int Completed = 0)
{
    public int Total => Queued + Running;

    public bool IsFull => Total >= Limit;
}

/// <summary>A model replica's queue is full; the caller tries again later or elsewhere.</summary>
[GenerateSerializer, Alias("InnerEye.ReplicaBusyException")]
public sealed class ReplicaBusyException(string message) : Exception(message);
