using System.Globalization;
using InnerEye.Grains.Hosting;

namespace InnerEye.Cluster.Simulation;

/// <summary>Prints the run's figures as tables (the process's culture is invariant: InvariantGlobalization).</summary>
public static class Report
{
    private const double MB = 1024 * 1024;

    public static void Print(SimulationOptions options, JobLedger ledger, ClusterMonitor monitor, JobDriver driver, SiloKiller? killer,
        SimulatedCluster cluster, (Census Census, double Waited) retention)
    {
        var w = Console.Out;
        w.WriteLine();
        w.WriteLine(
            "| decile | jobs ended | seconds | jobs/min | live heap MB | RSS MB | job activations (busiest silo) | state files | reminder rows |");
        w.WriteLine("|---|---|---|---|---|---|---|---|---|");
        var rates = new double[10];
        for (var d = 0; d < 10; d++)
        {
            var from = d == 0 ? 0 : ledger.DecileEnds[d - 1];
            var jobs = ledger.DecileBoundary(d) - (d == 0 ? 0 : ledger.DecileBoundary(d - 1));
            var seconds = ledger.DecileEnds[d] - from;
            rates[d] = seconds > 0 ? jobs / seconds * 60 : 0;
            var c = monitor.Deciles[d];
            w.WriteLine(($"| {d + 1} | {ledger.DecileBoundary(d)} | {seconds:0.0} | {rates[d]:0} | {Mb(c?.LiveHeap)} | {Mb(c?.Rss)} | " +
                $"{c?.JobActivations.ToString() ?? "–"} ({c?.BusiestSiloJobs.ToString() ?? "–"}) | " +
                $"{c?.StateFiles.ToString() ?? "–"} | {c?.ReminderRows.ToString() ?? "–"} |"));
        }

        var total = ledger.DecileEnds[9];
        var measured = rates.Where(r => r > 0).ToArray();
        w.WriteLine();
        w.WriteLine(($"jobs: {ledger.Jobs} submitted, {ledger.Count(JobOutcome.Completed)} completed, {ledger.Count(JobOutcome.Failed)} failed, " +
            $"{ledger.Count(JobOutcome.Cancelled)} cancelled, {ledger.Count(JobOutcome.TimedOut)} timed out, {ledger.Count(JobOutcome.StateLost)} " +
            "with their state lost, " +
            $"{ledger.Count(JobOutcome.BadCompletion)} completed badly, {ledger.ResultsWrittenTwice} results written twice, " +
            $"{ledger.CompletedWithoutWrite} completed without a write → LOST: {ledger.Lost}"));
        foreach (var (job, outcome, detail) in ledger.Problems().Take(10)) w.WriteLine($"  {JobIds.Of(job)}: {outcome}: {detail}");
        w.WriteLine(($"client calls retried: {driver.CallFailures}; census samples failed: {monitor.FailedSamples}"));
        if (measured.Length > 0)
        {
            w.WriteLine(($"throughput: {ledger.Jobs / total * 60:0} jobs/min over {total:0} s; last/first decile {rates[9] / rates[0]:0.00}; " +
                $"last decile / median {rates[9] / Median(measured):0.00}; slowest/fastest decile {measured.Min() / measured.Max():0.00}"));
        }
        var (first, last) = (monitor.Deciles[0]?.LiveHeap, monitor.Deciles[9]?.LiveHeap);
        w.WriteLine(($"memory (one process, all silos): peak RSS {Mb(ProcessMemory.Read().Peak)} MB; live heap after decile 1 {Mb(first)} MB, " +
            $"after decile 10 {Mb(last)} MB{(first is > 0 && last is { } l ? ($" ({(double)l / first.Value:0.00}×)") : "")}"));
        w.WriteLine(($"peaks during the run: {monitor.PeakStateFiles} state files, {monitor.PeakReminderRows} reminder rows"));
        w.WriteLine("peak job activations per silo: " + string.Join(", ", monitor.PeakJobActivations.OrderBy(p => SiloNumber(p.Key))
            .Select(p => $"{p.Key} ({Role(cluster, p.Key)}) {p.Value}")));

        var after = retention.Census;
        w.WriteLine();
        w.WriteLine(($"after retention ({options.RetentionPeriod.TotalMinutes:0.#} min; waited {retention.Waited:0} s after the last job):"));
        w.WriteLine("| silo | role | job activations | model activations | other activations |");
        w.WriteLine("|---|---|---|---|---|");
        foreach (var (silo, a) in after.Silos.OrderBy(p => SiloNumber(p.Key)))
            w.WriteLine(($"| {silo} | {Role(cluster, silo)} | {a.Jobs} | {a.Models} | {a.Other} |"));
        w.WriteLine(($"state files {after.StateFiles}, reminder rows {after.ReminderRows}, artifacts {after.Artifacts}, " +
            $"live heap {Mb(after.LiveHeap)} MB, RSS {Mb(after.Rss)} MB"));
        if (killer is not null) w.WriteLine(($"silos killed: {killer.Events.Count}"));
    }

    private static string Role(SimulatedCluster cluster, string silo)
    {
        try
        {
            return cluster.RoleOf(silo) == SiloRole.Gpu ? "gpu" : "cpu";
        }
        catch (KeyNotFoundException)
        {
            return "?";
        }
    }

    private static int SiloNumber(string name) =>
        int.TryParse(name.AsSpan(name.LastIndexOf('_') + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : int.MaxValue;

    private static double Median(double[] values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static string Mb(long? bytes) => bytes is { } b ? (b / MB).ToString("0") : "–";
}
