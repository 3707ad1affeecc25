namespace InnerEye.Grains;

/// <summary>
/// The attributes of a received series that routing rules match on (from its latest instance). UIDs are opaque strings.
/// </summary>
[GenerateSerializer, Immutable, Alias("InnerEye.SeriesAttributes")]
public sealed record SeriesAttributes(
    [property: Id(0)] string StudyInstanceUid,
    [property: Id(1)] string SeriesInstanceUid,
    [property: Id(2)] string? Modality,
    [property: Id(3)] string? Manufacturer,
    [property: Id(4)] string? BodyPartExamined,
    [property: Id(5)] string? SeriesDescription,
    [property: Id(6)] string? StudyDescription,
    [property: Id(7)] string? ProtocolName,
    [property: Id(8)] double? SliceThickness);

/// <summary>
/// An instance received by STOW-RS, already written to the artifact store at <see cref="Incoming"/>; the series intake
/// grain moves it to its own place or, when it has the same instance with the same bytes (the same
/// <see cref="ContentHash"/>, a 128-bit XXH3 of the file), deletes it.
/// </summary>
[GenerateSerializer, Immutable, Alias("InnerEye.ReceivedInstance")]
public sealed record ReceivedInstance(
    [property: Id(0)] string SopInstanceUid,
    [property: Id(1)] string SopClassUid,
    [property: Id(2)] ArtifactRef Incoming,
    [property: Id(3)] string ContentHash,
    [property: Id(4)] long Length);

/// <summary>The instances of one series received in one STOW-RS request.</summary>
[GenerateSerializer, Immutable, Alias("InnerEye.ReceivedBatch")]
public sealed record ReceivedBatch([property: Id(0)] SeriesAttributes Series, [property: Id(1)] IReadOnlyList<ReceivedInstance> Instances);

public enum InstanceOutcome
{
    /// <summary>Recorded (new, or new bytes under a known SOP Instance UID).</summary>
    Stored,

    /// <summary>The series already holds this instance with the same bytes; acknowledged, not stored again.</summary>
    Duplicate,
}

/// <summary>A series found complete and matched to a routing rule's channel, handed to its study's intake.</summary>
[GenerateSerializer, Immutable, Alias("InnerEye.CompletedSeries")]
public sealed record CompletedSeries(
    [property: Id(0)] string SeriesInstanceUid,
    [property: Id(1)] int RouteIndex,
    [property: Id(2)] string Channel,
    [property: Id(3)] IReadOnlyList<ArtifactRef> Instances,
    [property: Id(4)] int Round,
    [property: Id(5)] string? StudyInstanceUid = null);

/// <summary>
/// Where a segmentation that DICOMweb started came from: the study, the series feeding each model channel, the
/// routing rule, and the destinations its result goes to.
/// </summary>
[GenerateSerializer, Immutable, Alias("InnerEye.DicomWebOrigin")]
public sealed record DicomWebOrigin(
    [property: Id(0)] string StudyInstanceUid,
    [property: Id(1)] IReadOnlyDictionary<string, string> SeriesByChannel,
    [property: Id(2)] string Rule,
    [property: Id(3)] IReadOnlyList<string> Destinations,
    [property: Id(4)] IReadOnlyList<ResultFormat>? Formats = null)
{
    /// <summary>The forms the result is delivered in: the rule's, or the RT Structure Set alone.</summary>
    public IReadOnlyList<ResultFormat> DeliveredFormats => Formats is { Count: > 0 } formats ? formats : [ResultFormat.RtStruct];
}

public enum DeliveryState
{
    Pending,
    Delivered,
    Failed,
}

/// <summary>Where the delivery of a result to one destination stands.</summary>
[GenerateSerializer, Immutable, Alias("InnerEye.DeliveryStatus")]
public sealed record DeliveryStatus(
    [property: Id(0)] string Destination,
    [property: Id(1)] DeliveryState State,
    [property: Id(2)] int Attempts,
    [property: Id(3)] string? LastError,
    [property: Id(4)] DateTimeOffset? DeliveredAt,
    [property: Id(5)] DateTimeOffset? NextAttemptAt);

/// <summary>
/// A result to send by STOW-RS to a configured destination: the RT Structure Set at <see cref="Result"/>, or the
/// <see cref="Files"/> (the forms the rule asks for) in one request.
/// </summary>
[GenerateSerializer, Immutable, Alias("InnerEye.DeliveryRequest")]
public sealed record DeliveryRequest(
    [property: Id(0)] string SegmentationId,
    [property: Id(1)] ArtifactRef Result,
    [property: Id(2)] string Destination,
    [property: Id(3)] IReadOnlyList<ArtifactRef>? Files = null,
    [property: Id(4)] string? ModelId = null,
    [property: Id(5)] string? StudyHash = null)
{
    public IReadOnlyList<ArtifactRef> Sent => Files is { Count: > 0 } files ? files : [Result];
}
