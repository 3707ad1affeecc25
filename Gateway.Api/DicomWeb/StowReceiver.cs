using InnerEye.Gateway.Api.Hosting;
using InnerEye.Gateway.Api.Uploads;
using InnerEye.Grains;
using InnerEye.Grains.Artifacts;
using InnerEye.Grains.DicomWeb;
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
                var (result, part) = await ReceivePartAsync(reader, headers.GetValueOrDefault("Content-Type"), studyInUrl, deadline.Token);
                if (part is not null) received.Add((results.Count, part));
                results.Add(result);
            }
            if (results.Count == 0) throw new InvalidUploadException("The multipart/related body holds no part.");
            await store.FlushAsync([.. received.Select(r => r.Part.Incoming)], deadline.Token);
        }
        catch (Exception e)
        {
            foreach (var (_, part) in received) await store.DeleteAsync(part.Incoming, CancellationToken.None);
            if (e is OperationCanceledException && deadline.IsCancellationRequested && !ct.IsCancellationRequested)
                throw new UploadTimeoutException(api.Value.UploadTimeout);
            throw;
        }

        foreach (var (index, result) in await RecordAsync(received))
            results[index] = result;
        var stow = new StowResult([.. results.Select(r => r!)]);
        LogReceived(logger, stow.Parts.Count, stow.Parts.Count(p => p.Stored), stow.StatusCode);
        return stow;
    }

    /// <summary>Stores one part under an incoming key and reads its header; a part that fails leaves nothing behind.</summary>
    private async Task<(StowPartResult? Result, Received? Part)> ReceivePartAsync(MultipartRelatedReader reader, string? contentType,
        string? studyInUrl, CancellationToken ct)
    {
        if (!StowContentType.IsDicomPart(contentType))
        {
            return (new StowPartResult(null, null, null, null, StowFailureReasons.CannotUnderstand,
                $"A part of type '{contentType}' is not application/dicom."), null);
        }
        var key = IntakeKeys.Incoming();
        var incoming = new ArtifactRef(key);
        await using var hashing = new HashingReadStream(reader.PartStream(), api.Value.MaxInstanceBytes);
        try
        {
            await store.PutUnflushedAsync(key, hashing, ct);
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

        InstanceHeader header;
        try
        {
            header = await Task.Run(() => InstanceHeader.Read(store.LocalPath(incoming)), ct);
        }
        catch (InvalidInstanceException e)
        {
            await store.DeleteAsync(incoming, CancellationToken.None);
            return (new StowPartResult(null, null, null, null, StowFailureReasons.CannotUnderstand, e.Message), null);
        }
        if (studyInUrl is not null && header.Series.StudyInstanceUid != studyInUrl)
        {
            await store.DeleteAsync(incoming, CancellationToken.None);
            return (new StowPartResult(header.SopClassUid, header.SopInstanceUid, header.Series.StudyInstanceUid, header.Series.SeriesInstanceUid,
                StowFailureReasons.StudyMismatch, "The instance's StudyInstanceUID is not the study of the request URL."), null);
        }
        return (null, new Received(incoming, header, hashing.ContentHash(), hashing.BytesRead));
    }

    /// <summary>Hands the parts to their series' intake grains, a batch per series, all series at once.</summary>
    private async Task<IReadOnlyList<(int Index, StowPartResult Result)>> RecordAsync(List<(int Index, Received Part)> received)
    {
        var bySeries = received.GroupBy(r => r.Part.Header.Series.SeriesInstanceUid, StringComparer.Ordinal);
        var batches = await Task.WhenAll(bySeries.Select(async series =>
        {
            var items = series.ToList();
            var batch = new ReceivedBatch(items[^1].Part.Header.Series,
                [.. items.Select(i => new ReceivedInstance(i.Part.Header.SopInstanceUid, i.Part.Header.SopClassUid, i.Part.Incoming, i.Part.ContentHash, i.Part.Length))]);
            try
            {
                await grains.GetGrain<ISeriesIntakeGrain>(series.Key).Receive(batch, CancellationToken.None);
                return items.Select(i => (i.Index, Result(i.Part, null, null)));
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogRecordFailed(logger, e, items.Count);
                foreach (var (_, part) in items) await store.DeleteAsync(part.Incoming, CancellationToken.None);
                return items.Select(i => (i.Index, Result(i.Part, StowFailureReasons.OutOfResources, "The instance could not be recorded; send it again.")));
            }
        }));
        return [.. batches.SelectMany(b => b)];
    }

    private static StowPartResult Result(Received part, ushort? reason, string? detail) =>
        new(part.Header.SopClassUid, part.Header.SopInstanceUid, part.Header.Series.StudyInstanceUid, part.Header.Series.SeriesInstanceUid, reason, detail);

    [LoggerMessage(Level = LogLevel.Information, Message = "STOW-RS: {Stored} of {Parts} part(s) stored; answered {Status}.")]
    private static partial void LogReceived(ILogger logger, int parts, int stored, int status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "STOW-RS: {Count} instance(s) of a series could not be recorded.")]
    private static partial void LogRecordFailed(ILogger logger, Exception exception, int count);
}
