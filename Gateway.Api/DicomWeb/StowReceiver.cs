using InnerEye.Gateway.Api.Hosting;
using InnerEye.Gateway.Api.Security;
using InnerEye.Gateway.Api.Uploads;
using InnerEye.Grains;
using InnerEye.Grains.Artifacts;
using InnerEye.Grains.DicomWeb;
using InnerEye.Grains.Telemetry;
using Microsoft.Extensions.Options;

namespace InnerEye.Gateway.Api.DicomWeb;

/// <summary>
/// Receives a STOW-RS request: each part streams into the artifact store (never the whole request in memory), is read
/// with the Imaging reader and checked; then the good parts go, a batch per series, to the series' intake grain,
/// which persists them before this returns. A malformed body stores nothing. The parts are forced to disk together
/// before the series take them (one pass over the file system where it can), so a request of many small files costs
/// about what one file of their size does.
/// </summary>
public sealed partial class StowReceiver(IGrainFactory grains, IArtifactStore store, IOptions<ApiOptions> api, ILogger<StowReceiver> logger)
{
    private sealed record Received(ArtifactRef Incoming, InstanceHeader Header, string ContentHash, long Length);

    /// <exception cref="UnsupportedStowMediaTypeException">Not multipart/related of DICOM files (415).</exception>
    /// <exception cref="InvalidUploadException">A malformed multipart body (400).</exception>
    /// <exception cref="UploadTooLargeException">Over <c>Api:MaxUploadBytes</c> (413).</exception>
    /// <exception cref="UploadTimeoutException">Longer than <c>Api:UploadTimeout</c> (408).</exception>
    public async Task<StowResult> ReceiveAsync(HttpRequest request, string? studyInUrl, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        var boundary = StowContentType.Boundary(request.ContentType);
        var parts = new List<Task<(StowPartResult? Result, Received? Part)>>();
        var stored = new List<ArtifactRef>();
        var results = new List<StowPartResult?>();
        var received = new List<(int Index, Received Part)>();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(api.Value.UploadTimeout);
        try
        {
            await using var body = await UploadReader.OpenAsync(request, api.Value.MaxUploadBytes, deadline.Token);
            var reader = new MultipartRelatedReader(body, boundary);
            while (await reader.NextPartAsync(deadline.Token) is { } headers)
            {
                // Each part's header is read and checked on the thread pool while the next part streams in.
                var (failure, part) = await StorePartAsync(reader, headers.GetValueOrDefault("Content-Type"), deadline.Token);
                if (part is null)
                {
                    parts.Add(Task.FromResult<(StowPartResult?, Received?)>((failure, null)));
                    continue;
                }
                stored.Add(part.Value.Incoming);
                parts.Add(Task.Run(() => CheckPartAsync(part.Value, studyInUrl)));
            }
            if (parts.Count == 0) throw new InvalidUploadException("The multipart/related body holds no part.");
            foreach (var (result, part) in await Task.WhenAll(parts))
            {
                if (part is not null) received.Add((results.Count, part));
                results.Add(result);
            }
            await store.FlushAsync([.. received.Select(r => r.Part.Incoming)], deadline.Token);
        }
        catch (Exception e)
        {
            await Task.WhenAll(parts.Select(p => p.ContinueWith(_ => { }, TaskScheduler.Default)));
            foreach (var part in stored) await store.DeleteAsync(part, CancellationToken.None);
            if (e is OperationCanceledException && deadline.IsCancellationRequested && !ct.IsCancellationRequested)
                throw new UploadTimeoutException(api.Value.UploadTimeout);
            throw;
        }

        InnerEyeMetrics.Uploaded(request.HttpContext.Items[ApiKeyMiddleware.ClientItem] as string, received.Sum(r => r.Part.Length));
        foreach (var (index, result) in await RecordAsync(received))
            results[index] = result;
        var stow = new StowResult([.. results.Select(r => r!)]);
        LogReceived(logger, stow.Parts.Count, stow.Parts.Count(p => p.Stored), stow.StatusCode);
        return stow;
    }

    private readonly record struct StoredPart(ArtifactRef Incoming, string ContentHash, long Length);

    /// <summary>Streams one part into the store under an incoming key; a part that fails leaves nothing behind.</summary>
    private async Task<(StowPartResult? Failure, StoredPart? Part)> StorePartAsync(MultipartRelatedReader reader, string? contentType,
        CancellationToken ct)
    {
        if (!StowContentType.IsDicomPart(contentType))
        {
            return (new StowPartResult(null, null, null, null, StowFailureReasons.CannotUnderstand,
                $"A part of type '{contentType}' is not application/dicom."), null);
        }
        var incoming = new ArtifactRef(IntakeKeys.Incoming());
        await using var hashing = new HashingReadStream(reader.PartStream(), api.Value.MaxInstanceBytes);
        try
        {
            await store.PutUnflushedAsync(incoming.Key, hashing, ct);
        }
        catch (InstanceTooLargeException e)
        {
            await store.DeleteAsync(incoming, CancellationToken.None);
            return (new StowPartResult(null, null, null, null, StowFailureReasons.OutOfResources, e.Message), null);
        }
        catch
        {
            await store.DeleteAsync(incoming, CancellationToken.None);
            throw;
        }
        return (null, new StoredPart(incoming, hashing.ContentHash(), hashing.BytesRead));
    }

    /// <summary>Reads a stored part's header and checks it; a part refused is deleted.</summary>
    private async Task<(StowPartResult? Result, Received? Part)> CheckPartAsync(StoredPart part, string? studyInUrl)
    {
        InstanceHeader header;
        try
        {
            header = InstanceHeader.Read(store.LocalPath(part.Incoming));
        }
        catch (InvalidInstanceException e)
        {
            await store.DeleteAsync(part.Incoming, CancellationToken.None);
            return (new StowPartResult(null, null, null, null, StowFailureReasons.CannotUnderstand, e.Message), null);
        }
        if (studyInUrl is not null && header.Series.StudyInstanceUid != studyInUrl)
        {
            await store.DeleteAsync(part.Incoming, CancellationToken.None);
            return (new StowPartResult(header.SopClassUid, header.SopInstanceUid, header.Series.StudyInstanceUid, header.Series.SeriesInstanceUid,
                StowFailureReasons.StudyMismatch, "The instance's StudyInstanceUID is not the study of the request URL."), null);
        }
        return (null, new Received(part.Incoming, header, part.ContentHash, part.Length));
    }

    /// <summary>Hands the parts to their series' intake grains, a batch per series, all series at once.</summary>
    private async Task<IReadOnlyList<(int Index, StowPartResult Result)>> RecordAsync(List<(int Index, Received Part)> received)
    {
        var bySeries = received.GroupBy(r => r.Part.Header.Series.SeriesInstanceUid, StringComparer.Ordinal);
        var batches = await Task.WhenAll(bySeries.Select(async series =>
        {
            var items = series.ToList();
            var batch = new ReceivedBatch(items[^1].Part.Header.Series,
                [.. items.Select(i => new ReceivedInstance(i.Part.Header.SopInstanceUid, i.Part.Header.SopClassUid, i.Part.Incoming,
                    i.Part.ContentHash, i.Part.Length))]);
            try
            {
                await grains.GetGrain<ISeriesIntakeGrain>(IntakeKeys.Grain(series.Key)).Receive(batch, CancellationToken.None);
                return items.Select(i => (i.Index, Result(i.Part, null, null)));
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogRecordFailed(logger, e, items.Count);
                foreach (var (_, part) in items) await store.DeleteAsync(part.Incoming, CancellationToken.None);
                return items.Select(i => (i.Index, Result(i.Part, StowFailureReasons.OutOfResources,
                    "The instance could not be recorded; send it again.")));
            }
        }));
        return [.. batches.SelectMany(b => b)];
    }

    private static StowPartResult Result(Received part, ushort? reason, string? detail) =>
        new(part.Header.SopClassUid, part.Header.SopInstanceUid, part.Header.Series.StudyInstanceUid, part.Header.Series.SeriesInstanceUid,
            reason, detail);

    [LoggerMessage(Level = LogLevel.Information, Message = "STOW-RS: {Stored} of {Parts} part(s) stored; answered {Status}.")]
    private static partial void LogReceived(ILogger logger, int parts, int stored, int status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "STOW-RS: {Count} instance(s) of a series could not be recorded.")]
    private static partial void LogRecordFailed(ILogger logger, Exception exception, int count);
}
