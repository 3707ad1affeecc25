namespace InnerEye.Grains.DicomWeb;

/// <summary>The persisted state of one result's delivery to one destination.</summary>
[GenerateSerializer, Alias("InnerEye.DeliveryJobState")]
public sealed class DeliveryJobState
{
    [Id(0)] public DeliveryRequest? Request { get; set; }
    [Id(1)] public DeliveryState State { get; set; }
    [Id(2)] public int Attempts { get; set; }
    [Id(3)] public string? LastError { get; set; }
    [Id(4)] public DateTimeOffset StartedAt { get; set; }
    [Id(5)] public DateTimeOffset? NextAttemptAt { get; set; }
    [Id(6)] public DateTimeOffset? DeliveredAt { get; set; }

    public bool Started => Request is not null;

    public DeliveryStatus Status() => new(Request?.Destination ?? "", State, Attempts, LastError, DeliveredAt,
        State == DeliveryState.Pending ? NextAttemptAt : null);
}
