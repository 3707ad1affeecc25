using InnerEye.Grains.Storage;
using InnerEye.Inference;
using Microsoft.Extensions.Configuration;

namespace InnerEye.Grains.Hosting;

/// <summary>
/// A silo's settings, read from configuration: <c>Silo:Role</c>, <c>Storage:Path</c>, <c>Models:Path</c>, the
/// <c>Inference</c> section (<see cref="InferenceOptions"/>), and the <c>Segmentation</c>, <c>ModelGrain</c> and
/// <c>Placement</c> sections bound onto the grains' options.
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

    /// <summary>
    /// Reads the settings; <c>Storage:Path</c> defaults to <c>&lt;contentRoot&gt;/.data</c> and <c>Models:Path</c> to the
    /// nearest <c>models/</c> folder (<see cref="ModelsFolder.Find"/>). The storage path is made absolute.
    /// </summary>
    public static SiloSettings FromConfiguration(IConfiguration configuration, string contentRoot)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var role = configuration["Silo:Role"] is { Length: > 0 } r
            ? Enum.TryParse<SiloRole>(r, ignoreCase: true, out var parsed) ? parsed
                : throw new InvalidOperationException($"Silo:Role is '{r}'; expected all, gpu or cpu.")
            : SiloRole.All;
        var models = ModelsFolder.Find(configuration["Models:Path"] is { Length: > 0 } m ? m : null)
            ?? throw new InvalidOperationException("No models folder: set Models:Path (env Models__Path).");
        var inference = new InferenceOptions();
        configuration.GetSection("Inference").Bind(inference, o => o.ErrorOnUnknownConfiguration = true);
        var storage = new StorageOptions();
        configuration.GetSection("Storage").Bind(storage, o => o.ErrorOnUnknownConfiguration = true);
        if (storage.Validate().ToList() is { Count: > 0 } problems) throw new InvalidOperationException(string.Join(" ", problems));
        return new SiloSettings
        {
            Role = role,
            StoragePath = Path.GetFullPath(configuration["Storage:Path"] is { Length: > 0 } s ? s : Path.Combine(contentRoot, ".data")),
            ModelsPath = models,
            Inference = inference,
            Storage = storage,
        };
    }
}
