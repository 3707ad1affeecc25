using System.Diagnostics;

namespace InnerEye.Cluster.Simulation;

public enum JobOutcome
{
    Pending,
    Completed,
    Failed,
    Cancelled,
    TimedOut,

    /// <summary>The job's grain answered with no state before the job ended.</summary>
    StateLost,

    /// <summary>Completed, but its result was not in the store, or its status recorded completion more than once.</summary>
    BadCompletion,
}

/// <summary>
/// What happened to every job, in arrays sized once for the whole run so that the ledger does not grow as jobs finish.
/// The time at which each tenth of the jobs had ended is kept as it happens.
/// </summary>
public sealed class JobLedger
{
    private readonly JobOutcome[] _outcomes;
    private readonly double[] _endedAt;
    private readonly int[] _resultWrites;
    private readonly string?[] _failures;
    private readonly double[] _decileEnds = new double[10];
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private int _ended;

    public JobLedger(int jobs)
    {
        Jobs = jobs;
        _outcomes = new JobOutcome[jobs];
        _endedAt = new double[jobs];
        _resultWrites = new int[jobs];
        _failures = new string?[jobs];
    }

    public int Jobs { get; }

    public int Ended => Volatile.Read(ref _ended);

    /// <summary>Starts the run's clock.</summary>
    public void Start() => _clock.Restart();

    /// <summary>Seconds since <see cref="Start"/>.</summary>
    public double Now => _clock.Elapsed.TotalSeconds;

    /// <summary>Seconds from the start until the (d + 1) tenth of the jobs had ended; 0 for a tenth not yet reached.</summary>
    public IReadOnlyList<double> DecileEnds => _decileEnds;

    /// <summary>How many jobs end with decile <paramref name="decile"/> (0–9).</summary>
    public int DecileBoundary(int decile) => (int)((long)(decile + 1) * Jobs / 10);

    public void ResultWritten(int job) => Interlocked.Increment(ref _resultWrites[job]);

    public void End(int job, JobOutcome outcome, string? detail = null)
    {
        _outcomes[job] = outcome;
        _failures[job] = detail;
        _endedAt[job] = Now;
        var ended = Interlocked.Increment(ref _ended);
        // Decile d ends with the ((d + 1) * N / 10)-th job to end.
        for (var d = 0; d < 10; d++)
        {
            if (ended != DecileBoundary(d)) continue;
            _decileEnds[d] = _endedAt[job];
        }
    }

    public int Count(JobOutcome outcome) => _outcomes.Count(o => o == outcome);

    /// <summary>Jobs whose result was written more than once (an attempt that ran twice to the end).</summary>
    public int ResultsWrittenTwice => _resultWrites.Count(w => w > 1);

    /// <summary>Completed jobs whose result was never written through the store.</summary>
    public int CompletedWithoutWrite => Enumerable.Range(0, Jobs).Count(j => _outcomes[j] == JobOutcome.Completed && _resultWrites[j] == 0);

    /// <summary>Every job that did not complete exactly once with its result.</summary>
    public int Lost => Enumerable.Range(0, Jobs).Count(j => _outcomes[j] != JobOutcome.Completed || _resultWrites[j] != 1);

    public IEnumerable<(int Job, JobOutcome Outcome, string? Detail)> Problems() =>
        Enumerable.Range(0, Jobs).Where(j => _outcomes[j] != JobOutcome.Completed || _resultWrites[j] != 1)
            .Select(j => (j, _outcomes[j], (string?)(_failures[j] ?? $"result written {_resultWrites[j]} times")));
}
