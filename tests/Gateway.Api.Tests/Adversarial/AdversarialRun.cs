using System.Diagnostics;
using System.Text;
using InnerEye.Gateway.Api.Tests.Support;
using InnerEye.Imaging.Tests.Support;

namespace InnerEye.Gateway.Api.Tests.Adversarial;

/// <summary>
/// Every hostile upload sent through both route families of one real server process (the embedded service on
/// loopback, its own storage folder), <see cref="Concurrency"/> at a time, each polled to its end; the server's memory
/// once every job has ended; then uploads interrupted by the client and by a crash of the server, and the storage
/// folder once a restarted server is up. The tests of <see cref="AdversarialServerTests"/> each judge one property of
/// this one run.
/// </summary>
public sealed class AdversarialRun : IAsyncLifetime
{
    public const string Secret = "adversarial-secret";
    public const int Concurrency = 8;

    /// <summary>A job of this 32 × 32 × 8 phantom takes well under a second; any job must end within this bound.</summary>
    public static readonly TimeSpan JobBound = TimeSpan.FromSeconds(60);

    /// <summary>
    /// The server's resident set after the run may exceed its baseline by at most this much. The server GC keeps freed
    /// heap committed after a burst (about 450 MB over the baseline after these uploads when no buffer outgrows its
    /// data); buffers sized by a header's claim of 1 GiB instead of by the data left 1.3 to 4.4 GB.
    /// </summary>
    public const long MemoryGrowthBound = 768L << 20;

    private readonly TempDirectory _dir = new();
    private ServerProcess? _server;

    public HostileCorpus Corpus { get; private set; } = null!;
    public IReadOnlyList<UploadOutcome> Outcomes { get; private set; } = [];
    public long BaselineRss { get; private set; }
    public long FinalRss { get; private set; }
    public long PeakRss { get; private set; }
    public IReadOnlyList<string> Leftovers { get; private set; } = [];
    public int AbortedUploadFiles { get; private set; }
    public int CrashedUploadFiles { get; private set; }
    public TimeSpan Duration { get; private set; }
    public string StoragePath => _dir.Combine("data");

    public string ServerOutput => _server?.Output ?? "";

    public async Task InitializeAsync()
    {
        Corpus = HostileUploads.Corpus;
        var environment = new Dictionary<string, string>
        {
            ["Api__AuthSecret"] = Secret,
            ["Inference__IntraOpThreads"] = "1",
            // A transient fault is retried quickly, so that one shows as the fault it is without waiting 2 s a retry.
            ["Segmentation__RetryDelay"] = "00:00:00.100",
            ["Logging__LogLevel__Default"] = "Warning",
        };
        _server = await ServerProcess.StartAsync(FreePorts.Next(), StoragePath, environment);
        using var client = new HttpClient { BaseAddress = _server.Address, Timeout = TimeSpan.FromMinutes(2) };
        client.DefaultRequestHeaders.Add("API_AUTH_SECRET", Secret);
        var driver = new UploadDriver(client, JobBound);

        // A valid job through each family first loads the model, so that the baseline holds what the service keeps.
        var warmUp = Corpus.Cases.First(c => c.Name == "valid/phantom-writer-zip");
        var warm = new[] { await driver.RunAsync(warmUp, RouteFamily.InnerEye), await driver.RunAsync(warmUp, RouteFamily.Seed) };
        if (warm.Any(w => w.End != UploadEnd.Completed))
            throw new InvalidOperationException(
                $"The warm-up job did not complete: {string.Join("; ", warm.Select(w => w.ToString()))}\n{_server.Output}");
        await Task.Delay(1000);
        BaselineRss = ProcessMemory.ResidentBytes(_server.ProcessId);

        var clock = Stopwatch.StartNew();
        var random = new Random(Corpus.Seed);
        var runs = Corpus.Cases.SelectMany(c => new[] { (c, RouteFamily.InnerEye), (c, RouteFamily.Seed) }).OrderBy(_ => random.Next()).ToList();
        using var slots = new SemaphoreSlim(Concurrency);
        var outcomes = await Task.WhenAll(runs.Select(async run =>
        {
            await slots.WaitAsync();
            try
            {
                return await driver.RunAsync(run.c, run.Item2);
            }
            finally
            {
                slots.Release();
            }
        }));
        Duration = clock.Elapsed;
        Outcomes = outcomes;

        // Every job has ended (or is reported hung): let the server settle, then measure.
        await Task.Delay(3000);
        FinalRss = ProcessMemory.ResidentBytes(_server.ProcessId);
        PeakRss = ProcessMemory.PeakResidentBytes(_server.ProcessId);

        // Uploads cut off by the client, then one cut off by a crash of the server. The crash's temporary file is made
        // 30 days old, as if the crash were long past, so that a sweep sparing recent files (a write in progress) removes
        // it too; the storage folder is audited once the restarted server is up.
        foreach (var route in new[] { RouteFamily.InnerEye, RouteFamily.Seed })
            AbortedUploadFiles += (await InterruptedUploads.AbortAsync(client, StoragePath, route)).Count;
        var crashed = await InterruptedUploads.KillDuringAsync(client, StoragePath, () => _server.KillAsync());
        foreach (var file in crashed.Where(File.Exists)) File.SetLastWriteTimeUtc(file, DateTime.UtcNow.AddDays(-30));
        CrashedUploadFiles = crashed.Count;
        await _server.DisposeAsync();
        _server = await ServerProcess.StartAsync(FreePorts.Next(), StoragePath, environment);
        await Task.Delay(3000);

        var jobs = outcomes.Concat(warm).Where(o => o.Id is not null).ToDictionary(o => o.Id!, o => (o.End, o.Case.Name));
        Leftovers = StorageAudit.Leftovers(StoragePath, jobs);
    }

    public async Task DisposeAsync()
    {
        if (_server is not null) await _server.DisposeAsync();
        _dir.Dispose();
    }

    /// <summary>Uploads, cases and ends per family and route, the time taken and the memory.</summary>
    public string Summary()
    {
        var text = new StringBuilder();
        text.AppendLine(
            $"seed {Corpus.Seed}: {Corpus.Cases.Count} cases, {Outcomes.Count} uploads in {Duration.TotalSeconds:0} s, {Concurrency} at a time");
        if (Corpus.MissingTools.Count > 0) text.AppendLine($"*** left out for missing tools: {string.Join(", ", Corpus.MissingTools)} ***");
        foreach (var family in Outcomes.GroupBy(o => (o.Case.Family, o.Route)).OrderBy(g => g.Key.Family, StringComparer.Ordinal)
            .ThenBy(g => g.Key.Route))
        {
            var ends = family.GroupBy(o => o.End == UploadEnd.Failed || o.End == UploadEnd.Refused ? $"{o.End} {o.ErrorCode}" : o.End.ToString())
                .OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key} ×{g.Count()}");
            text.AppendLine($"  {family.Key.Family,-10} {family.Key.Route,-8} {string.Join(", ", ends)}");
        }
        text.AppendLine($"RSS: baseline {ProcessMemory.Megabytes(BaselineRss)}, after {ProcessMemory.Megabytes(FinalRss)}, peak " +
            $"{ProcessMemory.Megabytes(PeakRss)}");
        text.AppendLine(
            $"interrupted uploads: {AbortedUploadFiles} temporary file(s) while 2 clients dropped their connection, {CrashedUploadFiles} when the " +
            "server was killed");
        return text.ToString();
    }
}
