using InnerEye.Grains;
using InnerEye.Grains.Artifacts;

namespace InnerEye.Cluster.Simulation;

/// <summary>
/// Plays the gateway: for each job it uploads its own copy of the phantom zip, submits it and polls its status until it
/// ends, keeping <see cref="SimulationOptions.InFlight"/> jobs under way. A call that fails (its silo was just killed) is
/// retried: submitting again with the same upload is idempotent.
/// </summary>
public sealed class JobDriver(SimulationOptions options, IClusterClient client, IArtifactStore store, JobLedger ledger, byte[] upload)
{
    private static readonly TimeSpan CallRetryDelay = TimeSpan.FromMilliseconds(500);
    private int _callFailures;

    /// <summary>Client calls that failed and were retried.</summary>
    public int CallFailures => Volatile.Read(ref _callFailures);

    public async Task RunAsync()
    {
        using var gate = new SemaphoreSlim(options.InFlight);
        var jobs = new Task[options.Jobs];
        for (var i = 0; i < options.Jobs; i++)
        {
            await gate.WaitAsync();
            var job = i;
            jobs[i] = Task.Run(async () =>
            {
                try
                {
                    await RunJobAsync(job);
                }
                finally
                {
                    gate.Release();
                }
            });
        }
        await Task.WhenAll(jobs);
    }

    private async Task RunJobAsync(int job)
    {
        var deadline = DateTime.UtcNow + options.JobTimeout;
        var input = await store.PutAsync(JobIds.InputKey(job), new MemoryStream(upload, writable: false));
        var grain = client.GetGrain<ISegmentationGrain>(JobIds.Of(job));
        var request = new SubmitSegmentation(JobIds.ModelId, input);
        while (await CallAsync(ct => grain.Submit(request, ct)) is null)
        {
            if (DateTime.UtcNow > deadline)
            {
                ledger.End(job, JobOutcome.TimedOut, "never accepted");
                return;
            }
            await Task.Delay(CallRetryDelay);
        }
        while (true)
        {
            await Task.Delay(options.PollInterval);
            var answer = await CallAsync(grain.GetStatus);
            if (answer is { Value: null })
            {
                ledger.End(job, JobOutcome.StateLost, "the job's grain has no state");
                return;
            }
            if (answer?.Value is { IsTerminal: true } status)
            {
                Record(job, status);
                return;
            }
            if (DateTime.UtcNow > deadline)
            {
                ledger.End(job, JobOutcome.TimedOut, $"still {answer?.Value?.State.ToString() ?? "unanswered"} after {options.JobTimeout}");
                return;
            }
        }
    }

    private void Record(int job, SegmentationStatus status)
    {
        switch (status.State)
        {
            case JobState.Completed when status.Result is null || !store.Exists(status.Result):
                ledger.End(job, JobOutcome.BadCompletion, $"completed without its result ({status.Result?.Key})");
                break;
            case JobState.Completed when status.Stages.Count(s => s.Stage == "completed") != 1:
                ledger.End(job, JobOutcome.BadCompletion, $"completed {status.Stages.Count(s => s.Stage == "completed")} times");
                break;
            case JobState.Completed:
                ledger.End(job, JobOutcome.Completed);
                break;
            case JobState.Failed:
                ledger.End(job, JobOutcome.Failed, $"{status.ErrorCode}: {status.ErrorDetail}");
                break;
            default:
                ledger.End(job, JobOutcome.Cancelled);
                break;
        }
    }

    /// <summary>The call's answer wrapped so that "answered null" and "did not answer" differ; null when it failed.</summary>
    private async Task<Answer<T>?> CallAsync<T>(Func<CancellationToken, Task<T>> call)
    {
        try
        {
            return new Answer<T>(await call(CancellationToken.None));
        }
        catch (Exception e) when (e is not ArgumentException)
        {
            if (Interlocked.Increment(ref _callFailures) <= 5) Console.Error.WriteLine(
                $"  client call failed, retrying: {e.GetType().Name}: {e.Message}");
            return null;
        }
    }

    private sealed record Answer<T>(T Value);
}
