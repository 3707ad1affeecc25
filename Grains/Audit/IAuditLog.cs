namespace InnerEye.Grains.Audit;

/// <summary>The audit trail: append-only; a record is in the operating system's hands when <see cref="Write"/> returns.</summary>
public interface IAuditLog
{
    /// <summary>Appends the record; throws when it cannot be written (the caller must not go on as if it were).</summary>
    void Write(AuditRecord record);

    /// <summary>The folder the records go to (one file a UTC day and writer).</summary>
    string Folder { get; }

    /// <summary>Every record in the folder, of every writer, in time order.</summary>
    IReadOnlyList<AuditRecord> ReadAll() => AuditRecordJson.ReadFolder(Folder);
}
