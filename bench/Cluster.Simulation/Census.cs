namespace InnerEye.Cluster.Simulation;

/// <summary>Grain activations on one silo: job grains, model replicas, and the rest (dispatcher, system grains).</summary>
public sealed record SiloActivations(int Jobs, int Models, int Other);

/// <summary>The cluster at one moment: activations per silo, what storage holds, and the process's memory.</summary>
public sealed record Census(
    double At,
    int Ended,
    IReadOnlyDictionary<string, SiloActivations> Silos,
    int StateFiles,
    int ReminderRows,
    int Artifacts,
    long Rss,
    long? LiveHeap)
{
    public int JobActivations => Silos.Values.Sum(s => s.Jobs);

    public int BusiestSiloJobs => Silos.Values.Select(s => s.Jobs).DefaultIfEmpty().Max();

    /// <summary>
    /// Counts activations through the management grain, grain state files and artifacts on disk, and the reminder rows
    /// in the shared table; with <paramref name="liveHeap"/>, also the managed heap left after a full collection.
    /// </summary>
    public static async Task<Census> TakeAsync(SimulatedCluster cluster, JobLedger ledger, bool liveHeap)
    {
        var names = cluster.LiveSilos.ToDictionary(s => s.SiloAddress, s => s.Name);
        var stats = await cluster.Client.GetGrain<IManagementGrain>(0).GetSimpleGrainStatistics();
        var silos = stats.GroupBy(s => names.TryGetValue(s.SiloAddress, out var name) ? name : s.SiloAddress.ToString())
            .ToDictionary(g => g.Key, g => new SiloActivations(
                g.Where(s => IsType(s.GrainType, "SegmentationGrain")).Sum(s => s.ActivationCount),
                g.Where(s => IsType(s.GrainType, "ModelGrain")).Sum(s => s.ActivationCount),
                g.Where(s => !IsType(s.GrainType, "SegmentationGrain") && !IsType(s.GrainType, "ModelGrain")).Sum(s => s.ActivationCount)));
        var rows = (await cluster.Reminders.ReadRows(0u, 0u)).Reminders.Count;
        var heap = liveHeap ? ProcessMemory.LiveHeap() : (long?)null;
        return new Census(ledger.Now, ledger.Ended, silos, CountFiles(cluster.StatePath), rows, CountFiles(cluster.ArtifactsPath),
            ProcessMemory.Read().Rss, heap);
    }

    private static bool IsType(string grainType, string name) =>
        grainType.EndsWith("." + name, StringComparison.Ordinal) || grainType.Contains("." + name + ",", StringComparison.Ordinal);

    private static int CountFiles(string folder) =>
        Directory.Exists(folder)
            ? Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Count(f => !f.EndsWith(".partial", StringComparison.Ordinal))
            : 0;
}
