namespace InnerEye.Cluster.Simulation;

/// <summary>Waits, after the run, for the retention reminders to remove every finished job's state, reminders and artifacts.</summary>
public static class RetentionCheck
{
    private static readonly TimeSpan Poll = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The census once nothing of the jobs is left (no job activation, state file, reminder row or artifact), or at the
    /// deadline: the retention period plus two reminder periods (the first tick after the due time, and one more) and a
    /// minute, from the end of the run.
    /// </summary>
    public static async Task<(Census Census, double Waited)> WaitAsync(SimulatedCluster cluster, JobLedger ledger, SimulationOptions options)
    {
        var started = ledger.Now;
        var deadline = started + (options.RetentionPeriod + 2 * options.RedriveInterval + TimeSpan.FromMinutes(1)).TotalSeconds;
        while (true)
        {
            await Task.Delay(Poll);
            Census census;
            try
            {
                census = await Census.TakeAsync(cluster, ledger, liveHeap: false);
            }
            catch (Exception e)
            {
                Console.Error.WriteLine($"  census failed: {e.GetType().Name}: {e.Message}");
                continue;
            }
            var empty = census is { JobActivations: 0, StateFiles: 0, ReminderRows: 0, Artifacts: 0 };
            if (empty || ledger.Now > deadline)
            {
                var final = await Census.TakeAsync(cluster, ledger, liveHeap: true);
                return (final, ledger.Now - started);
            }
        }
    }
}
