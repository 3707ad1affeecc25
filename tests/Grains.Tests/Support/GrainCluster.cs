using System.Collections.Concurrent;
using InnerEye.Grains.Audit;
using InnerEye.Grains.DicomWeb;
using InnerEye.Imaging.Phantoms;
using InnerEye.Imaging.Tests.Support;
using InnerEye.Inference;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using Orleans.Runtime.Hosting;
using Orleans.Runtime.MembershipService.SiloMetadata;
using Orleans.Serialization;
using Orleans.TestingHost;

namespace InnerEye.Grains.Tests.Support;

public sealed record GrainClusterOptions
{
    public int Silos { get; init; } = 3;

    /// <summary>Names of the silos (Silo_0, Silo_1, …) whose metadata says accelerator = gpu.</summary>
    public IReadOnlySet<string> GpuSilos { get; init; } = new HashSet<string> { "Silo_1" };

    public bool AllowCpuFallback { get; init; }

    public TimeSpan NetworkStageDelay { get; init; } = TimeSpan.FromSeconds(1.5);

    public TimeSpan StagePause { get; init; } = TimeSpan.Zero;

    public int Replicas { get; init; } = 1;

    public TimeSpan RetentionPeriod { get; init; } = TimeSpan.FromDays(7);

    /// <summary>Further configuration of every silo, as a host reads it (e.g. <c>DicomWeb:Routes:0:Model</c>).</summary>
    public IReadOnlyDictionary<string, string?> Configuration { get; init; } = new Dictionary<string, string?>();

    /// <summary>Models the catalog holds besides PassThroughModel (e.g. a multi-channel model built in code).</summary>
    public IReadOnlyList<ModelConfig> ExtraModels { get; init; } = [];

    /// <summary>
    /// <c>Segmentation:RedriveInterval</c>, the period of the grains' durable reminders; null keeps the default (1 minute,
    /// Orleans' minimum). A shorter one lowers that minimum, so that a test sees reminder ticks within seconds.
    /// </summary>
    public TimeSpan? RedriveInterval { get; init; }
}

/// <summary>
/// An in-process cluster running the segmentation grains on PassThroughModel, with an artifact store in a temporary
/// folder and grain state in storage shared by every silo.
/// </summary>
public sealed class GrainCluster : IAsyncDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly ConcurrentDictionary<string, (string ETag, byte[] Data)> _records = new();
    private readonly ModelSessionCache _sessions = new(new InferenceOptions { Device = InferenceDevice.Cpu, IntraOpThreads = 1, InterOpThreads = 1 });

    private GrainCluster(GrainClusterOptions options)
    {
        Options = options;
        Store = new CountingArtifactStore(_dir.Combine("artifacts"));
        Model = ModelConfigLoader.Load(Path.Combine(RepositoryModels, "PassThroughModel.json"), _sessions);
        var catalog = new ModelCatalog([Model, .. options.ExtraModels]);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(options.Configuration).Build();
        var builder = new InProcessTestClusterBuilder((short)options.Silos);
        builder.ConfigureSilo((silo, sb) =>
        {
            sb.UseSiloMetadata(options.GpuSilos.Contains(silo.SiloName)
                ? new Dictionary<string, string> { [ModelPlacementOptions.AcceleratorKey] = ModelPlacementOptions.Gpu }
                : new Dictionary<string, string>());
            sb.UseInMemoryReminderService();
            if (options.RedriveInterval is { } redrive) sb.Configure<ReminderOptions>(o => o.MinimumReminderPeriod = redrive);
            sb.Services.AddGrainStorage("jobs", (sp, _) => new SharedGrainStorage(_records, sp.GetRequiredService<Serializer>()));
            sb.AddSegmentationGrains(
                s =>
                {
                    s.StartDelay = TimeSpan.FromMilliseconds(200);
                    s.RetryDelay = TimeSpan.FromMilliseconds(500);
                    s.BusyRetryDelay = TimeSpan.FromMilliseconds(200);
                    s.Replicas = options.Replicas;
                    s.RetentionPeriod = options.RetentionPeriod;
                    if (options.RedriveInterval is { } redrive) s.RedriveInterval = redrive;
                },
                m =>
                {
                    m.NetworkStageDelay = options.NetworkStageDelay;
                    m.StagePause = options.StagePause;
                },
                p => p.AllowCpuFallback = options.AllowCpuFallback);
            sb.Services.AddSingleton(_sessions);
            sb.Services.AddSingleton(catalog);
            sb.Services.AddSingleton<Artifacts.IArtifactStore>(Store);
            sb.Services.AddDicomWebIntake(configuration);
            var audit = new AuditOptions();
            sb.Services.AddInnerEyeAudit(audit, _dir.Path, Storage.StoragePermissions.Default, audit.SiloWriterName(silo.SiloName));
            sb.Configure<ClusterMembershipOptions>(o =>
            {
                o.ProbeTimeout = TimeSpan.FromSeconds(1);
                o.NumMissedProbesLimit = 2;
                o.NumVotesForDeathDeclaration = 1;
            });
        });
        Cluster = builder.Build();
    }

    public GrainClusterOptions Options { get; }

    public InProcessTestCluster Cluster { get; }

    public CountingArtifactStore Store { get; }

    public ModelConfig Model { get; }

    /// <summary>Where the silos write their audit trail (one file a day and silo).</summary>
    public string AuditFolder => Path.Combine(_dir.Path, "audit");

    public IClusterClient Client => Cluster.Client;

    public string TempPath => _dir.Path;

    public static async Task<GrainCluster> StartAsync(GrainClusterOptions options)
    {
        var cluster = new GrainCluster(options);
        await cluster.Cluster.DeployAsync();
        await cluster.Cluster.WaitForLivenessToStabilizeAsync();
        await cluster.Cluster.WaitForClusterManifestToStabilizeAsync();
        return cluster;
    }

    public static string RepositoryModels { get; } = FindModels();

    private static string FindModels()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var models = Path.Combine(dir.FullName, "models");
            if (File.Exists(Path.Combine(models, "PassThroughModel.json"))) return models;
        }
        throw new DirectoryNotFoundException($"No models/PassThroughModel.json above {AppContext.BaseDirectory}.");
    }

    /// <summary>A phantom CT in the gateway's zip layout (ct/0, ct/1, …), put in the store under inputs/.</summary>
    public async Task<ArtifactRef> UploadPhantomAsync(string id, int seed = 1)
    {
        var phantom = ThoraxPhantom.Generate(new ThoraxPhantomOptions { Seed = seed, Rows = 64, Columns = 64, Slices = 4 });
        var output = PhantomWriter.Write(phantom, _dir.NewPath("phantom"), writeFolder: false, writeZip: true);
        await using var zip = File.OpenRead(output.Zip!);
        return await Store.PutAsync($"inputs/{id}.zip", zip);
    }

    public Task<ArtifactRef> UploadBytesAsync(string id, byte[] bytes) => Store.PutAsync($"inputs/{id}.zip", new MemoryStream(bytes));

    public ISegmentationGrain Segmentation(string id) => Client.GetGrain<ISegmentationGrain>(id);

    /// <summary>Polls the job's status until <paramref name="until"/> holds.</summary>
    public async Task<SegmentationStatus> WaitAsync(string id, Func<SegmentationStatus, bool> until, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        SegmentationStatus? last = null;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                last = await Segmentation(id).GetStatus();
                if (last is not null && until(last)) return last;
            }
            catch (Exception e) when (e is SiloUnavailableException or OrleansMessageRejectionException or TimeoutException)
            {
                // The grain's silo was just lost; the next call reactivates it elsewhere.
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"Segmentation {id} did not reach the expected state; last status: {last}");
    }

    public Task<SegmentationStatus> WaitTerminalAsync(string id, TimeSpan? timeout = null) => WaitAsync(id, s => s.IsTerminal, timeout);

    public async ValueTask DisposeAsync()
    {
        await Cluster.DisposeAsync();
        _sessions.Dispose();
        _dir.Dispose();
    }
}
