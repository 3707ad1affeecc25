using InnerEye.Grains.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace InnerEye.Grains.Audit;

public static class AuditHosting
{
    /// <summary>
    /// The audit trail of this process and the study hasher. The front end (<paramref name="writerName"/> null) writes
    /// <c>&lt;day&gt;.jsonl</c> and replaces any registration a co-hosted silo made; a silo adds its own (with its name)
    /// only where none is registered, so the embedded service has one writer.
    /// </summary>
    public static IServiceCollection AddInnerEyeAudit(this IServiceCollection services, AuditOptions options, string storagePath,
        StoragePermissions permissions, string? writerName)
    {
        ArgumentNullException.ThrowIfNull(options);
        var folder = options.FolderUnder(storagePath);
        if (writerName is not null && services.Any(s => s.ServiceType == typeof(IAuditLog))) return services;
        // Made here, at start: a folder that cannot be written or a damaged key file stops the start.
        var log = new JsonLinesAuditLog(folder, writerName, options.Stdout ? Console.Out : null, permissions);
        var hasher = StudyHasher.Load(options.HashKey, folder, permissions);
        services.RemoveAll<IAuditLog>();
        services.RemoveAll<StudyHasher>();
        services.AddSingleton<IAuditLog>(log);
        services.AddSingleton(hasher);
        return services;
    }
}
