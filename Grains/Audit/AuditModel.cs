namespace InnerEye.Grains.Audit;

/// <summary>A model as requested (<c>Id</c> or <c>Id:Version</c>) as the audit record's two fields.</summary>
public static class AuditModel
{
    public static (string? Id, string? Version) Split(string? requested)
    {
        if (string.IsNullOrEmpty(requested)) return (null, null);
        var parts = requested.Split(':', 2);
        return (parts[0], parts.Length == 2 ? parts[1] : null);
    }
}
