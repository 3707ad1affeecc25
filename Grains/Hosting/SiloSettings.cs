using InnerEye.Grains.Audit;
using InnerEye.Grains.Storage;
using InnerEye.Inference;
using Microsoft.Extensions.Configuration;

namespace InnerEye.Grains.Hosting;

/// <summary>
/// The settings that shape a silo before its services exist: <c>Silo:Role</c>, <c>Storage:Path</c>, <c>Models:Path</c>
/// and the <c>Inference</c> section, each read through its options class and validator
/// (<see cref="ValidatedOptions.ReadValidated{TOptions}"/>), as every other section is bound and checked at start.
/// </summary>
public sealed record SiloSettings
{
    public SiloRole Role { get; init; } = SiloRole.All;

    /// <summary>Root of the artifact store (<c>artifacts/</c>) and, on local disk, grain state and reminders.</summary>
    public required string StoragePath { get; init; }

    public required string ModelsPath { get; init; }

    public InferenceOptions Inference { get; init; } = new();

    /// <summary>The <c>Storage</c> section: file modes, temporary-file sweeping, failed uploads.</summary>
    public StorageOptions Storage { get; init; } = new();

    public StoragePermissions Permissions => Storage.Permissions();

    /// <summary>The <c>Audit</c> section: where the audit trail goes and the key of its study hash.</summary>
    public AuditOptions Audit { get; init; } = new();

    /// <summary>
    /// Reads the settings; <c>Storage:Path</c> defaults to <c>&lt;contentRoot&gt;/.data</c> and <c>Models:Path</c> to the
    /// nearest <c>models/</c> folder (<see cref="ModelsFolder.Find"/>). The storage path is made absolute.
    /// </summary>
    public static SiloSettings FromConfiguration(IConfiguration configuration, string contentRoot)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var role = configuration.ReadValidated(SiloRoleOptions.Section, new SiloRoleOptionsValidator());
        var models = configuration.ReadValidated(ModelsOptions.Section, new ModelsOptionsValidator());
        var inference = configuration.ReadValidated(InferenceSection, new InferenceOptionsValidator(), errorOnUnknownConfiguration: true);
        var storage = configuration.ReadValidated(StorageSection, new StorageOptionsValidator(), errorOnUnknownConfiguration: true);
        var audit = AuditOptions.FromConfiguration(configuration);
        return new SiloSettings
        {
            Role = role.Role,
            StoragePath = Path.GetFullPath(storage.Path is { Length: > 0 } s ? s : Path.Combine(contentRoot, ".data")),
            ModelsPath = models.Folder()!,
            Inference = inference,
            Storage = storage,
            Audit = audit,
        };
    }

    public const string InferenceSection = "Inference";

    public const string StorageSection = "Storage";
}
