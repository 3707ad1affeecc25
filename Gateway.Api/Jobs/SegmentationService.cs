using System.IO.Compression;
using System.Text.RegularExpressions;
using InnerEye.Gateway.Api.Hosting;
using InnerEye.Gateway.Api.Security;
using InnerEye.Gateway.Api.Uploads;
using InnerEye.Grains;
using InnerEye.Grains.Artifacts;
using InnerEye.Grains.Telemetry;
using InnerEye.Imaging;
using InnerEye.Imaging.Series;
using InnerEye.Inference;
using Microsoft.Extensions.Options;

namespace InnerEye.Gateway.Api.Jobs;

/// <summary>
/// What both route families do, as grain calls: an upload streams into the artifact store and becomes a segmentation
/// grain's job; status, cancel and result read from that grain. The grain answers Submit only once the job is
/// persisted, so an id the API has returned is never lost.
/// </summary>
public sealed partial class SegmentationService(IGrainFactory grains, ModelCatalog catalog, IArtifactStore store,
    IOptions<ApiOptions> api, IOptions<SegmentationOptions> segmentation, TimeProvider time, ILogger<SegmentationService> logger)
{
    /// <summary>How far back a listing looks at most, whatever the retention period.</summary>
    private static readonly TimeSpan MaxListingReach = TimeSpan.FromDays(400);

    public IReadOnlyList<ModelConfig> Models => catalog.Models;

    /// <exception cref="ModelNotFoundException">No model has the id.</exception>
    /// <exception cref="ModelVersionMismatchException">The model is loaded in another version.</exception>
    public ModelConfig FindModel(string modelId) => catalog.Find(modelId);

    /// <summary>Segmentation ids are made here and only these characters reach a grain key or a store key.</summary>
    public static bool IsValidId(string id) => IdPattern().IsMatch(id);

    /// <summary>
    /// Stores the upload and queues its job. With <paramref name="checkZip"/> a body that is not a zip is refused at
    /// once (an <see cref="ImagingException"/> with code InvalidZip); without, the job fails with it later, as the
    /// InnerEye service did.
    /// </summary>
    /// <exception cref="QueueFullException">Every replica's queue is full.</exception>
    /// <exception cref="UploadTooLargeException">The upload is over the limit.</exception>
    /// <exception cref="UploadTimeoutException">The upload took longer than <c>Api:UploadTimeout</c>.</exception>
    public async Task<SegmentationStatus> SubmitAsync(string modelId, HttpRequest request, bool checkZip, CancellationToken ct)
    {
        FindModel(modelId);
        await EnsureCapacityAsync(modelId);
        var id = Guid.CreateVersion7().ToString("N");
        var input = await ReceiveAsync(request, $"inputs/{id}.zip", ct);
        if (checkZip)
        {
            try
            {
                // The Imaging reader's own opening of the zip: central directory, entry names and sizes.
                if (new ZipSeriesSource(store.LocalPath(input), SeriesLoadOptions.Default).Entries.Count == 0)
                    throw new ImagingException("InvalidZip", "The upload is an empty zip archive.");
            }
            catch (ImagingException)
            {
                await store.DeleteAsync(input, CancellationToken.None);
                throw;
            }
        }
        // Measured before the job exists: a job that fails at once deletes its upload, maybe before the submit returns.
        var bytes = new FileInfo(store.LocalPath(input)).Length;
        var audit = Audit.AuditScope.Of(request.HttpContext);
        var client = request.HttpContext.Items[Security.ApiKeyMiddleware.ClientItem] as string;
        InnerEyeMetrics.Uploaded(client, bytes);
        using var scope = LogScopes.Segmentation(logger, id);
        var status = await grains.GetGrain<ISegmentationGrain>(id).Submit(new SubmitSegmentation(modelId, input, Client: client),
            CancellationToken.None);
        audit.Job(status);
        LogQueued(logger, id, modelId, bytes);
        return status;
    }

    /// <summary>
    /// Streams the upload into the store within <c>Api:UploadTimeout</c>, however slowly the client sends it (Kestrel's
    /// minimum data rate alone lets a body trickle for days); an unfinished upload leaves nothing in the store.
    /// </summary>
    private async Task<ArtifactRef> ReceiveAsync(HttpRequest request, string key, CancellationToken ct)
    {
        var timeout = api.Value.UploadTimeout;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(timeout);
        try
        {
            await using var body = await UploadReader.OpenAsync(request, api.Value.MaxUploadBytes, deadline.Token);
            return await store.PutAsync(key, body, deadline.Token);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            LogUploadTimedOut(logger, key, timeout);
            throw new UploadTimeoutException(timeout);
        }
    }

    public Task<SegmentationStatus?> GetAsync(string id, CancellationToken ct) =>
        IsValidId(id) ? grains.GetGrain<ISegmentationGrain>(id).GetStatus(ct) : Task.FromResult<SegmentationStatus?>(null);

    public Task<SegmentationStatus?> CancelAsync(string id, CancellationToken ct) =>
        IsValidId(id) ? grains.GetGrain<ISegmentationGrain>(id).Cancel(ct) : Task.FromResult<SegmentationStatus?>(null);

    /// <summary>The RT Structure Set of a completed job.</summary>
    public Stream OpenResult(SegmentationStatus status) =>
        store.OpenRead(status.Result ?? throw new InvalidOperationException($"Segmentation {status.SegmentationId} has no result."));

    /// <summary>The result of a completed job in another form than the RT Structure Set; null when it was not kept.</summary>
    public Stream? OpenResult(SegmentationStatus status, ResultFormat format)
    {
        var rt = status.Result ?? throw new InvalidOperationException($"Segmentation {status.SegmentationId} has no result.");
        try
        {
            return store.OpenRead(ResultArtifacts.Of(rt, format));
        }
        catch (FileNotFoundException)
        {
            return null;
        }
    }

    /// <summary>The forms a completed job's result is kept in (the RT Structure Set first).</summary>
    public IReadOnlyList<ResultFormat> KeptResultFormats(SegmentationStatus status)
    {
        ArgumentNullException.ThrowIfNull(status);
        return status.Result is { } rt ? [.. ResultArtifacts.AllFormats.Where(f => store.Exists(ResultArtifacts.Of(rt, f)))] : [];
    }

    /// <summary>The preview PNG of a job; null until the job has completed, or when no preview was kept (<c>ModelGrain:Preview</c>).</summary>
    public Stream? OpenPreview(SegmentationStatus status)
    {
        ArgumentNullException.ThrowIfNull(status);
        if (status.State != JobState.Completed || status.Result is not { } rt) return null;
        try
        {
            return store.OpenRead(ResultArtifacts.PreviewOf(rt));
        }
        catch (FileNotFoundException)
        {
            return null;
        }
    }

    /// <summary>
    /// The zip the InnerEye gateway expects (one entry, <c>segmentation.dcm</c>), made on the first download and kept
    /// beside the RT file, so that every download returns the same bytes.
    /// </summary>
    public async Task<Stream> OpenResultZipAsync(SegmentationStatus status, CancellationToken ct)
    {
        var rt = status.Result ?? throw new InvalidOperationException($"Segmentation {status.SegmentationId} has no result.");
        var zip = ResultArtifacts.ZipOf(rt);
        if (!store.Exists(zip))
        {
            using var buffer = new MemoryStream();
            using (var archive = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
            {
                var entry = archive.CreateEntry(ResultArtifacts.ZipEntryName, CompressionLevel.Optimal);
                entry.LastWriteTime = status.UpdatedAt;
                await using var target = entry.Open();
                await using var source = store.OpenRead(rt);
                await source.CopyToAsync(target, ct);
            }
            buffer.Position = 0;
            await store.PutIfAbsentAsync(zip.Key, buffer, ct);
        }
        return store.OpenRead(zip);
    }

    /// <summary>
    /// A page of jobs, newest first, from the job index: it walks the UTC days back from the cursor (or today) to the
    /// oldest day a job can still be kept on (the retention period and two days, at most 400 days, or <c>since</c>),
    /// reading each day's index shards, and then each listed job's live stage and progress.
    /// </summary>
    /// <exception cref="FormatException">The cursor is not one this service handed out.</exception>
    public async Task<JobListPage> ListAsync(JobListQuery query, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(query);
        DateTimeOffset? beforeTime = null;
        string? beforeId = null;
        if (query.Cursor is { } cursor)
        {
            if (!JobListCursor.TryParse(cursor, out var t, out var id)) throw new FormatException("The cursor is not one this service gave.");
            (beforeTime, beforeId) = (t, id);
        }
        var now = time.GetUtcNow();
        var reach = segmentation.Value.RetentionPeriod + TimeSpan.FromDays(2);
        var oldest = DateOnly.FromDateTime((now - (reach < MaxListingReach ? reach : MaxListingReach)).UtcDateTime);
        if (query.Since is { } since && DateOnly.FromDateTime(since.UtcDateTime) > oldest) oldest = DateOnly.FromDateTime(since.UtcDateTime);
        var newest = DateOnly.FromDateTime((beforeTime is { } b && b < now ? b : now).UtcDateTime);
        var limit = Math.Clamp(query.Limit, 1, JobListQuery.MaxLimit);
        var wanted = limit + 1; // one more than a page tells whether there is a next page
        var found = new List<JobIndexEntry>();
        for (var day = newest; day >= oldest && found.Count < wanted; day = day.AddDays(-1))
        {
            var key = day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
            var shardQuery = new JobIndexQuery(query.Model, query.State, query.Since, beforeTime, beforeId, wanted - found.Count);
            var ofDay = new List<JobIndexEntry>();
            for (var shard = 0; ; shard++)
            {
                ct.ThrowIfCancellationRequested();
                var answer = await grains.GetGrain<IJobIndexGrain>(JobIndex.Key(key, shard)).List(shardQuery);
                ofDay.AddRange(answer.Entries);
                if (!answer.Full) break;
            }
            found.AddRange(ofDay.OrderByDescending(e => e.CreatedAt).ThenByDescending(e => e.SegmentationId, StringComparer.Ordinal));
        }
        var page = found.Take(limit).ToList();
        var statuses = await Task.WhenAll(page.Select(e => grains.GetGrain<ISegmentationGrain>(e.SegmentationId).GetStatus(ct)));
        var items = page.Zip(statuses)
            .Where(p => p.Second is not null)
            .Select(p => Item(p.First, p.Second!))
            .ToList();
        var next = found.Count > limit ? JobListCursor.Of(page[^1].CreatedAt, page[^1].SegmentationId) : null;
        return new JobListPage(items, next);
    }

    private static JobListItem Item(JobIndexEntry entry, SegmentationStatus status)
    {
        var view = Routes.SegmentationView.From(status);
        return new JobListItem(entry.SegmentationId, entry.ModelId, view.Status, view.Stage, view.Progress, entry.Client, entry.CreatedAt,
            status.UpdatedAt, status.ErrorCode);
    }

    /// <summary>Refuses a job when every replica of the model is at its limit (the grain would only queue it).</summary>
    private async Task EnsureCapacityAsync(string modelId)
    {
        var replicas = segmentation.Value.Replicas;
        var loads = await Task.WhenAll(Enumerable.Range(0, replicas).Select(async i =>
        {
            try
            {
                return await grains.GetGrain<IModelGrain>($"{modelId}/{i}").GetLoad().WaitAsync(TimeSpan.FromSeconds(30));
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogReplicaUnreachable(logger, e, i, modelId);
                return null;
            }
        }));
        if (loads.All(l => l is null))
            throw new QueueFullException($"No silo can run model '{modelId}' now (none with a GPU, and CPU fallback off); try again later.");
        if (loads.All(l => l is null || l.IsFull))
            throw new QueueFullException(
                $"Every replica of model '{modelId}' has a full queue ({loads.Sum(l => l?.Total ?? 0)} jobs); try again later.");
    }

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$")]
    private static partial Regex IdPattern();

    [LoggerMessage(Level = LogLevel.Information, Message = "Segmentation {Id} queued for model {Model} ({Bytes} bytes).")]
    private static partial void LogQueued(ILogger logger, string id, string model, long bytes);

    [LoggerMessage(Level = LogLevel.Warning, Message = "An upload for {Key} did not finish within {Timeout}; refused.")]
    private static partial void LogUploadTimedOut(ILogger logger, string key, TimeSpan timeout);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Replica {Replica} of {Model} cannot be reached.")]
    private static partial void LogReplicaUnreachable(ILogger logger, Exception exception, int replica, string model);
}
