using System.Collections.Concurrent;
using System.Globalization;
using InnerEye.Grains.Artifacts;
using InnerEye.Grains.Hosting;
using InnerEye.Grains.Storage;
using InnerEye.Inference;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using Orleans.Runtime.Hosting;
using Orleans.Serialization;
using Orleans.TestingHost;

namespace InnerEye.Cluster.Simulation;

/// <summary>
/// In-process silos configured as the service's silo processes are (<see cref="InnerEyeSiloExtensions.AddInnerEyeSilo"/>
/// with role <c>gpu</c> or <c>cpu</c>), with job state and reminders on local disk under one folder. Each silo has its own
/// <see cref="FileGrainStorage"/> over the shared state folder, as processes sharing a volume would. The reminder table
/// is one <see cref="FileReminderTable"/> for every silo: it keeps its rows in memory after reading them once, so tables
/// of their own would not see each other's rows; the one shared table stands for the database a real cluster shares.
/// </summary>
public sealed class SimulatedCluster : IAsyncDisposable
{
    private readonly SimulationOptions _options;
    private readonly IConfiguration _configuration;
    private readonly string _root;
    private readonly string _modelsPath;
    private readonly ConcurrentDictionary<string, SiloRole> _roles = new();
    private readonly List<InProcessSiloHandle> _live = [];
    private readonly Lock _lock = new();
    private int _nextInstance;

    private SimulatedCluster(SimulationOptions options, string root, string modelsPath, IArtifactStore store)
    {
        _options = options;
        _root = root;
        _modelsPath = modelsPath;
        Store = store;
        Reminders = new FileReminderTable(Path.Combine(root, "state", "reminders"));
        _configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Segmentation:Replicas"] = options.GpuSilos.ToString(CultureInfo.InvariantCulture),
            ["Segmentation:RetentionPeriod"] = options.RetentionPeriod.ToString("c", CultureInfo.InvariantCulture),
            ["Segmentation:RedriveInterval"] = options.RedriveInterval.ToString("c", CultureInfo.InvariantCulture),
        }).Build();
        for (var i = 0; i < options.Silos; i++) _roles[SiloName(i)] = i >= 1 && i <= options.GpuSilos ? SiloRole.Gpu : SiloRole.Cpu;
        _nextInstance = options.Silos;

        var builder = new InProcessTestClusterBuilder((short)options.Silos);
        builder.Options.ConfigureFileLogging = false;
        builder.ConfigureHost(host => host.Configuration.AddConfiguration(_configuration));
        builder.ConfigureSilo((silo, sb) => Configure(silo.SiloName, sb));
        Cluster = builder.Build();
    }

    public InProcessTestCluster Cluster { get; }

    public IClusterClient Client => Cluster.Client;

    public IArtifactStore Store { get; }

    public FileReminderTable Reminders { get; }

    public string StatePath => Path.Combine(_root, "state", "grains");

    public string ArtifactsPath => Path.Combine(_root, "artifacts");

    public IReadOnlyList<InProcessSiloHandle> LiveSilos
    {
        get
        {
            lock (_lock) return [.. _live];
        }
    }

    public SiloRole RoleOf(string siloName) => _roles[siloName];

    public static async Task<SimulatedCluster> StartAsync(SimulationOptions options, string root, string modelsPath, IArtifactStore store)
    {
        var cluster = new SimulatedCluster(options, root, modelsPath, store);
        await cluster.Cluster.DeployAsync();
        await cluster.Cluster.WaitForLivenessToStabilizeAsync();
        await cluster.Cluster.WaitForClusterManifestToStabilizeAsync();
        lock (cluster._lock) cluster._live.AddRange(cluster.Cluster.Silos);
        return cluster;
    }

    /// <summary>Kills a random live silo without a shutdown and starts a new one of the same role.</summary>
    public async Task<(string Killed, SiloRole Role, string Started)> KillAndReplaceAsync(Random random)
    {
        InProcessSiloHandle victim;
        lock (_lock)
        {
            victim = _live[random.Next(_live.Count)];
            _live.Remove(victim);
        }
        var role = _roles[victim.Name];
        await Cluster.KillSiloAsync(victim);
        // The test cluster numbers an added silo by its count of live ones, which would repeat a live silo's name; the
        // replacement gets a number of its own so that its name says its role.
        var instance = Interlocked.Increment(ref _nextInstance) - 1;
        _roles[SiloName(instance)] = role;
        var started = await Cluster.StartSiloAsync(instance, Cluster.Options);
        lock (_lock) _live.Add(started);
        return (victim.Name, role, started.Name);
    }

    private static string SiloName(int instance) => $"Silo_{instance}";

    private void Configure(string siloName, ISiloBuilder sb)
    {
        var settings = new SiloSettings
        {
            Role = _roles[siloName],
            StoragePath = _root,
            ModelsPath = _modelsPath,
            Inference = new InferenceOptions { Device = InferenceDevice.Cpu, IntraOpThreads = 1, InterOpThreads = 1 },
        };
        sb.AddInnerEyeSilo(settings);
        // The same folder as the silo's own store, counting the results written.
        sb.Services.AddSingleton(Store);
        sb.Services.AddGrainStorage("jobs", (sp, _) => new FileGrainStorage(StatePath, sp.GetRequiredService<Serializer>()));
        sb.AddReminders();
        sb.Services.AddSingleton<IReminderTable>(Reminders);
        sb.Configure<ClusterMembershipOptions>(o =>
        {
            o.ProbeTimeout = TimeSpan.FromSeconds(1);
            o.NumMissedProbesLimit = 2;
            o.NumVotesForDeathDeclaration = 1;
        });
    }

    public async ValueTask DisposeAsync()
    {
        var known = Cluster.Silos.ToHashSet();
        foreach (var silo in LiveSilos.Where(s => !known.Contains(s))) await silo.DisposeAsync();
        await Cluster.DisposeAsync();
    }
}
