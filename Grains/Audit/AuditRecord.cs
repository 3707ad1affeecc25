namespace InnerEye.Grains.Audit;

/// <summary>
/// One line of the audit trail (a contract: the <c>innereye audit</c> command reads it). <see cref="Client"/> is the API
/// key's client (<c>default</c> for the single secret), null for actions the service takes itself (retention, delivery);
/// <see cref="Route"/> is the method and route template, null then too. <see cref="StudyHash"/> is a keyed hash of the
/// StudyInstanceUID (<see cref="StudyHasher"/>), never the UID. <see cref="Bytes"/> counts an upload's request body or a
/// download's response body. <see cref="Outcome"/> is <c>ok</c> or the error code or reason.
/// </summary>
public sealed record AuditRecord(
    DateTimeOffset Time,
    string? Client,
    string Action,
    string? Route,
    int? Status,
    string? ModelId,
    string? ModelVersion,
    string? SegmentationId,
    string? StudyHash,
    long? Bytes,
    string Outcome);

/// <summary>The actions an audit record names.</summary>
public static class AuditActions
{
    public const string Submit = "submit";
    public const string Status = "status";
    public const string Download = "download";
    public const string Cancel = "cancel";
    public const string List = "list";
    public const string RetentionDelete = "retention-delete";
    public const string Delivery = "delivery";
    public const string Stow = "stow";
    public const string Preview = "preview";

    public const string Ok = "ok";
}
