namespace InnerEye.Grains;

/// <summary>One segmentation job, keyed by the segmentation id.</summary>
public interface ISegmentationGrain : IGrainWithStringKey
{
    /// <summary>
    /// Queues the job and returns once the Queued state is persisted. Submitting the same request again returns the
    /// job's current status; another request under the same id throws <see cref="ArgumentException"/>.
    /// </summary>
    Task<SegmentationStatus> Submit(SubmitSegmentation request, CancellationToken ct = default);

    /// <summary>The job's status; null when nothing was submitted under this id (or it has expired).</summary>
    Task<SegmentationStatus?> GetStatus(CancellationToken ct = default);

    /// <summary>
    /// Cancels the job unless it has already ended; the status of an ended job is returned unchanged, and null when
    /// nothing was submitted under this id.
    /// </summary>
    Task<SegmentationStatus?> Cancel(CancellationToken ct = default);

    /// <summary>
    /// Progress of a model run, sent by the model grain running attempt <paramref name="attempt"/>, one call after
    /// another (so in order).
    /// </summary>
    Task ReportProgress(int attempt, string stage, int percent);

    /// <summary>Where the delivery of the result to one destination stands, sent by its delivery grain.</summary>
    Task ReportDelivery(DeliveryStatus delivery);
}

/// <summary>
/// A replica of a model, keyed <c>"&lt;modelId&gt;/&lt;replica&gt;"</c> (the model id as requested, e.g.
/// <c>PassThroughModel:1729/0</c>). Placed only on GPU silos (or anywhere, with CPU fallback).
/// </summary>
public interface IModelGrain : IGrainWithStringKey
{
    /// <summary>
    /// Decodes the upload, runs the pipeline and writes the RT Structure Set. Throws <see cref="ReplicaBusyException"/>
    /// when the replica's queue is full.
    /// </summary>
    [ResponseTimeout("01:00:00")]
    Task<ModelJobResult> Run(ModelJob job, CancellationToken ct = default);

    Task<ModelGrainLoad> GetLoad();

    /// <summary>The address of the silo this replica is activated on.</summary>
    Task<string> GetSilo();
}

/// <summary>
/// Picks the replica for each new job of one model (key: the model id as requested), one call at a time, so that jobs
/// submitted together spread over the replicas instead of all seeing the same idle loads.
/// </summary>
public interface IModelDispatcherGrain : IGrainWithStringKey
{
    /// <summary>The replica (0 … <paramref name="replicas"/> − 1) with the fewest jobs, counting those it has just handed out.</summary>
    Task<int> ChooseReplica(int replicas);
}
