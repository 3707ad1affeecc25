using InnerEye.Grains.Artifacts;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace InnerEye.Grains.Storage;

/// <summary>Marks a storage folder that this process alone writes (the embedded host): at start every temporary file in it is a leftover.</summary>
public sealed record ExclusiveStorage;

/// <summary>
/// Removes what a crash leaves in the storage folder: temporary (<c>.partial</c>) files not written to for
/// <see cref="StorageOptions.TempFileMaxAge"/> (at start, when the storage is this process's alone, all those written before it started), and
/// uploads that no live job owns — never submitted (the front end stopped between storing and submitting) or of a
/// job that ended (the process stopped before deleting it) — and STOW-RS parts left by a request that never finished. Runs at start and every
/// <see cref="StorageOptions.SweepInterval"/>.
/// </summary>
public sealed partial class StorageSweeper(string storageRoot, IArtifactStore store, IGrainFactory grains, IOptions<StorageOptions> options,
    IServiceProvider services, TimeProvider time, ILogger<StorageSweeper> logger) : BackgroundService
{
    public const string InputPrefix = "inputs";

    /// <summary>Where STOW-RS parts wait, for the length of their request, for their series to take them.</summary>
    public const string IncomingPrefix = "dicomweb/incoming/";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield(); // off the host's start
        // Alone on its storage, a process knows that every temporary file written before it started is a leftover.
        var exclusive = services.GetService(typeof(ExclusiveStorage)) is not null;
        var started = new DateTimeOffset(System.Diagnostics.Process.GetCurrentProcess().StartTime.ToUniversalTime());
        SweepTempFiles(exclusive ? started : time.GetUtcNow() - options.Value.TempFileMaxAge);
        using var timer = new PeriodicTimer(options.Value.SweepInterval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            SweepTempFiles(time.GetUtcNow() - options.Value.TempFileMaxAge);
            try
            {
                await SweepOrphanUploadsAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogSweepFailed(logger, e);
            }
        }
    }

    /// <summary>Deletes temporary files last written before <paramref name="cutoff"/>; returns how many.</summary>
    public int SweepTempFiles(DateTimeOffset cutoff)
    {
        if (!Directory.Exists(storageRoot)) return 0;
        var deleted = 0;
        foreach (var file in Directory.EnumerateFiles(storageRoot, "*" + AtomicFile.TempSuffix, SearchOption.AllDirectories))
        {
            try
            {
                if (File.GetLastWriteTimeUtc(file) >= cutoff.UtcDateTime) continue;
                File.Delete(file);
                deleted++;
            }
            catch (IOException)
            {
                // Gone already (another silo swept it) or still open: the next sweep sees it again.
            }
        }
        if (deleted > 0) LogTempFilesDeleted(logger, deleted);
        return deleted;
    }

    /// <summary>Deletes uploads older than the temporary-file age whose job was never submitted or has ended.</summary>
    public async Task<int> SweepOrphanUploadsAsync(CancellationToken ct)
    {
        var deleted = 0;
        await foreach (var upload in store.ListOlderThan(time.GetUtcNow() - options.Value.TempFileMaxAge, ct).ConfigureAwait(false))
        {
            var key = upload.Ref.Key;
            if (key.StartsWith(IncomingPrefix, StringComparison.Ordinal))
            {
                // A STOW-RS part outlives its request only when the front end stopped during it: nobody acknowledged it.
                await store.DeleteAsync(upload.Ref, ct).ConfigureAwait(false);
                deleted++;
                continue;
            }
            if (!key.StartsWith(InputPrefix + "/", StringComparison.Ordinal) || !key.EndsWith(".zip", StringComparison.Ordinal)) continue;
            var id = key[(InputPrefix.Length + 1)..^4];
            var status = await grains.GetGrain<ISegmentationGrain>(id).GetStatus(ct).ConfigureAwait(false);
            var owned = status is not null && (!status.IsTerminal || (status.State != JobState.Completed && options.Value.KeepFailedUploads));
            if (owned) continue;
            await store.DeleteAsync(upload.Ref, ct).ConfigureAwait(false);
            deleted++;
        }
        if (deleted > 0) LogOrphansDeleted(logger, deleted);
        return deleted;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted {Count} leftover temporary file(s) from the storage folder.")]
    private static partial void LogTempFilesDeleted(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted {Count} upload(s) that no live job owns.")]
    private static partial void LogOrphansDeleted(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The storage sweep failed; it runs again at the next interval.")]
    private static partial void LogSweepFailed(ILogger logger, Exception exception);
}
