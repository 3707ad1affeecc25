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

    public static SiloSettings FromConfiguration(IConfiguration configuration, string defaultStoragePath, string? defaultModelsPath)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var role = configuration["Silo:Role"] is { Length: > 0 } r
            ? Enum.TryParse<SiloRole>(r, ignoreCase: true, out var parsed) ? parsed
                : throw new InvalidOperationException($"Silo:Role is '{r}'; expected all, gpu or cpu.")
            : SiloRole.All;
        var models = configuration["Models:Path"] is { Length: > 0 } m ? m
            : defaultModelsPath ?? throw new InvalidOperationException("No models folder: set Models:Path (env Models__Path).");
        var inference = new InferenceOptions();
        configuration.GetSection("Inference").Bind(inference, o => o.ErrorOnUnknownConfiguration = true);
        return new SiloSettings
        {
            Role = role,
            StoragePath = configuration["Storage:Path"] is { Length: > 0 } s ? s : defaultStoragePath,
            ModelsPath = models,
            Inference = inference,
        };
    }

    /// <summary>The nearest <c>models/</c> folder holding model configurations, above the working directory or the program.</summary>
    public static string? FindModelsFolder()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "models");
                if (Directory.Exists(candidate) && Directory.EnumerateFiles(candidate, "*.json").Any()) return candidate;
            }
        }
        return null;
    }
}
