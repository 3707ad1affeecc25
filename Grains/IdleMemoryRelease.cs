namespace InnerEye.Grains;

/// <summary>
/// Gives memory back to the system once no model job is in this process: the pipeline's large arrays would otherwise
/// stay committed to the server GC's heap after the jobs that needed them (gigabytes for a large CT). One compacting,
/// decommitting collection runs a moment after the last job ends, unless another job has started meanwhile.
/// </summary>
internal static class IdleMemoryRelease
{
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(2);
    private static int _activeJobs;
    private static int _generation;

    public static void JobStarted()
    {
        Interlocked.Increment(ref _activeJobs);
        Interlocked.Increment(ref _generation);
    }

    public static void JobEnded()
    {
        if (Interlocked.Decrement(ref _activeJobs) != 0) return;
        var generation = Volatile.Read(ref _generation);
        _ = Task.Run(async () =>
        {
            await Task.Delay(Settle).ConfigureAwait(false);
            if (Volatile.Read(ref _activeJobs) != 0 || Volatile.Read(ref _generation) != generation) return;
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        });
    }
}
