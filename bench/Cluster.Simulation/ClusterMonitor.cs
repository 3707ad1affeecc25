namespace InnerEye.Cluster.Simulation;

/// <summary>
/// Takes a census every few seconds during the run, keeping the peaks (activations per silo, state files, reminder
/// rows), and one with the live managed heap as each tenth of the jobs ends.
/// </summary>
public sealed class ClusterMonitor(SimulatedCluster cluster, JobLedger ledger)
{
    private static readonly TimeSpan Tick = TimeSpan.FromSeconds(1);
    private const int TicksPerSample = 5;
    private readonly Dictionary<string, int> _peakJobActivations = [];

    public Census?[] Deciles { get; } = new Census?[10];

    public IReadOnlyDictionary<string, int> PeakJobActivations => _peakJobActivations;

    public int PeakStateFiles { get; private set; }

    public int PeakReminderRows { get; private set; }

    public int FailedSamples { get; private set; }

    /// <summary>Samples until <paramref name="stop"/>, then takes the census of any tenth of the jobs that ended since.</summary>
    public async Task RunAsync(CancellationToken stop)
    {
        var next = 0;
        for (var tick = 1; ; tick++)
        {
            if (!stop.IsCancellationRequested) await Task.Delay(Tick, stop).ContinueWith(_ => { }, TaskScheduler.Default);
            var decile = next < 10 && ledger.Ended >= ledger.DecileBoundary(next);
            if (stop.IsCancellationRequested && !decile) return;
            if (!decile && tick % TicksPerSample != 0) continue;
            try
            {
                var census = await Census.TakeAsync(cluster, ledger, liveHeap: decile);
                Keep(census);
                if (decile) Deciles[next++] = census;
            }
            catch (Exception e)
            {
                // The management grain's own silo, or one it asked, was just killed; the next sample will do.
                if (++FailedSamples <= 3) Console.Error.WriteLine($"  census failed: {e.GetType().Name}: {e.Message}");
                if (stop.IsCancellationRequested) next++;
            }
        }
    }

    private void Keep(Census census)
    {
        foreach (var (silo, activations) in census.Silos)
            _peakJobActivations[silo] = Math.Max(activations.Jobs, _peakJobActivations.GetValueOrDefault(silo));
        PeakStateFiles = Math.Max(PeakStateFiles, census.StateFiles);
        PeakReminderRows = Math.Max(PeakReminderRows, census.ReminderRows);
    }
}
