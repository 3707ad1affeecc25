using InnerEye.Grains.Artifacts;
using InnerEye.Grains.Audit;
using InnerEye.Grains.DicomWeb;
using InnerEye.Grains.Storage;
using InnerEye.Inference;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Orleans.Runtime.Hosting;
using Orleans.Runtime.MembershipService.SiloMetadata;
using Orleans.Serialization;

namespace InnerEye.Grains.Hosting;

public static class InnerEyeSiloExtensions
{
    /// <summary>
    /// Everything a silo of this service needs apart from clustering and where grain state lives: the model catalog
    /// and its ONNX sessions, the artifact store on <see cref="SiloSettings.StoragePath"/>, the silo's role as
    /// metadata (<c>accelerator = gpu</c> on GPU silos), and the grains with every options class bound from its section
    /// and validated at start.
    /// </summary>
    public static ISiloBuilder AddInnerEyeSilo(this ISiloBuilder builder, SiloSettings settings, string? siloName = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(settings);
        builder.Services.AddSingleton(settings);
        builder.Services.AddSingleton(sp => new ModelSessionCache(settings.Inference,
            sp.GetRequiredService<ILoggerFactory>().CreateLogger<ModelSessionCache>()));
        builder.Services.AddSingleton(sp => ModelCatalog.Load(settings.ModelsPath, sp.GetRequiredService<ModelSessionCache>(),
            sp.GetRequiredService<ILoggerFactory>().CreateLogger<ModelCatalog>()));
        settings.Permissions.EnsureFolder(settings.StoragePath);
        builder.Services.AddSingleton<IArtifactStore>(new FileSystemArtifactStore(Path.Combine(settings.StoragePath, "artifacts"),
            settings.Permissions));
        builder.Services.AddValidatedOptions<StorageOptions, StorageOptionsValidator>(SiloSettings.StorageSection, true);
        builder.Services.AddValidatedOptions<InferenceOptions, InferenceOptionsValidator>(SiloSettings.InferenceSection, true);
        builder.Services.AddValidatedOptions<DecodingOptions, DecodingOptionsValidator>("Decoding");
        builder.Services.AddInnerEyeAudit(settings.Audit, settings.StoragePath, settings.Permissions, settings.Audit.SiloWriterName(siloName));
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddDicomWebIntake();
        builder.Services.AddHostedService(sp => ActivatorUtilities.CreateInstance<StorageSweeper>(sp, settings.StoragePath));

        var metadata = new Dictionary<string, string> { [JobPlacementFilterDirector.RoleKey] = settings.Role.ToString().ToLowerInvariant() };
        if (settings.Role == SiloRole.Gpu) metadata[ModelPlacementOptions.AcceleratorKey] = ModelPlacementOptions.Gpu;
        builder.UseSiloMetadata(metadata);

        // The role's default, registered before the section's binding so that Placement:AllowCpuFallback overrides it.
        builder.Services.AddOptions<ModelPlacementOptions>().Configure(p => p.AllowCpuFallback = settings.Role == SiloRole.All);
        builder.AddSegmentationGrains();
        return builder;
    }

    /// <summary>
    /// Grain state ("jobs") and reminders in files under <paramref name="root"/>: the embedded single-process host,
    /// whose jobs and their reminders survive a restart, and which alone writes its storage folder.
    /// </summary>
    public static ISiloBuilder UseLocalDiskState(this ISiloBuilder builder, string root, StoragePermissions? permissions = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        permissions ??= StoragePermissions.Default;
        builder.Services.AddGrainStorage("jobs", (sp, _) => new FileGrainStorage(Path.Combine(root, "grains"),
            sp.GetRequiredService<Serializer>(), permissions));
        builder.AddReminders();
        builder.Services.AddSingleton<IReminderTable>(new FileReminderTable(Path.Combine(root, "reminders"), permissions));
        builder.Services.AddSingleton(new ExclusiveStorage());
        return builder;
    }
}
