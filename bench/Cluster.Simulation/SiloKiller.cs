namespace InnerEye.Cluster.Simulation;

/// <summary>Every interval, kills a random silo of the cluster (any role) and starts a replacement of its role.</summary>
public sealed class SiloKiller(SimulatedCluster cluster, JobLedger ledger, TimeSpan interval, int seed)
{
    private readonly Random _random = new(seed);
    private readonly List<string> _events = [];

    public IReadOnlyList<string> Events => _events;

    public async Task RunAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(interval, stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            var at = ledger.Now;
            var (killed, role, started) = await cluster.KillAndReplaceAsync(_random);
            var line =
                FormattableString.Invariant(
                $"{at,7:0.0} s  killed {killed} ({role.ToString().ToLowerInvariant()}), started {started} ({ledger.Ended} jobs ended)");
            _events.Add(line);
            Console.WriteLine("  " + line);
        }
    }
}
