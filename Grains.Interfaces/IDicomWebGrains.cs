namespace InnerEye.Grains;

/// <summary>
/// One received series, keyed by its SeriesInstanceUID: records every instance STOW-RS received (persisted before the
/// sender is answered) and, after <c>DicomWeb:SeriesQuietPeriod</c> without a new instance, routes the series.
/// </summary>
public interface ISeriesIntakeGrain : IGrainWithStringKey
{
    /// <summary>
    /// Takes the batch's instances (moving each from its incoming place, or deleting a duplicate) and returns, in
    /// order, what became of each once the series' state is persisted.
    /// </summary>
    Task<IReadOnlyList<InstanceOutcome>> Receive(ReceivedBatch batch, CancellationToken ct = default);

    /// <summary>How many instances the series holds now (0 when none or deleted).</summary>
    Task<int> GetInstanceCount();
}

/// <summary>
/// One study, keyed by its StudyInstanceUID: gathers the complete series each routing rule's channels need, starts a
/// segmentation when every channel has one, and remembers the segmentations it started (the results that QIDO-RS and
/// WADO-RS serve).
/// </summary>
public interface IStudyIntakeGrain : IGrainWithStringKey
{
    /// <summary>Records a complete series; starts the rule's segmentation once every channel has its series.</summary>
    Task SeriesComplete(CompletedSeries series, CancellationToken ct = default);

    /// <summary>The segmentations started for this study, oldest first.</summary>
    Task<IReadOnlyList<string>> GetSegmentations();
}

/// <summary>
/// Sends one result to one destination by STOW-RS, keyed <c>"&lt;segmentation id&gt;/&lt;destination&gt;"</c>: durable
/// (a reminder survives restarts), retried with exponential back-off, stopped at once by a permanent rejection.
/// </summary>
public interface IDeliveryGrain : IGrainWithStringKey
{
    /// <summary>Starts the delivery (idempotent: the same request again returns the current status).</summary>
    Task<DeliveryStatus> Start(DeliveryRequest request, CancellationToken ct = default);

    Task<DeliveryStatus?> GetStatus();

    /// <summary>Stops the delivery and removes its state (the segmentation's retention ended).</summary>
    Task Forget();
}
