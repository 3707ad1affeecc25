using System.Diagnostics;
using InnerEye.Grains.Artifacts;
using InnerEye.Grains.Audit;
using InnerEye.Grains.Telemetry;
using InnerEye.Imaging;
using InnerEye.Imaging.Nifti;
using InnerEye.Imaging.Seg;
using InnerEye.Imaging.Series;
using InnerEye.Inference;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using Orleans.Placement;

namespace InnerEye.Grains;

/// <summary>
/// A replica of a model (key <c>&lt;modelId&gt;/&lt;replica&gt;</c>): hands an upload to the <see cref="Segmenter"/>
/// (decode, model with the ONNX sessions the silo's <see cref="ModelSessionCache"/> shares, RT Structure Set) and writes
/// the result to the artifact store. Reentrant: decoding a job (a CPU stage) and contouring it run beside the network stage of another,
/// which at most <see cref="ModelGrainOptions.Capacity"/> jobs hold at once; a job past the bounded queue is refused
/// with <see cref="ReplicaBusyException"/>. Progress goes back to the segmentation grain on stage changes and every
/// 10 %, one call at a time so that it arrives in order, and all of it before the job's result.
/// </summary>
[Reentrant]
[Immovable]
[GpuPlacementFilter]
[ReplicaSpreadPlacement]
public sealed partial class ModelGrain : Grain, IModelGrain
{
    private readonly ModelCatalog _catalog;
    private readonly Segmenter _segmenter;
    private readonly IArtifactStore _store;
    private readonly ModelGrainOptions _options;
    private readonly ILocalSiloDetails _silo;
    private readonly ILogger<ModelGrain> _logger;
    private readonly StudyHasher _hasher;
    private readonly SemaphoreSlim _network;
    private readonly SemaphoreSlim _decode;
    private int _waiting;
    private int _running;
    private int _completed;
    private IDisposable? _gauges;

    private static readonly TimeSpan ProgressDrainTimeout = TimeSpan.FromSeconds(5);

    public ModelGrain(ModelCatalog catalog, ModelSessionCache sessions, IArtifactStore store, IOptions<ModelGrainOptions> options,
        IOptions<DecodingOptions> decoding, ILocalSiloDetails silo, ILogger<ModelGrain> logger, StudyHasher hasher)
    {
        _hasher = hasher;
        _catalog = catalog;
        _segmenter = new Segmenter(new SegmentationPipeline(sessions, logger), decoding.Value.ToLoadOptions());
        _store = store;
        _options = options.Value;
        _silo = silo;
        _logger = logger;
        _network = new SemaphoreSlim(_options.Capacity);
        _decode = new SemaphoreSlim(_options.DecodeAhead);
    }

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _gauges = InnerEyeMetrics.TrackReplica(this.GetPrimaryKeyString(), () => Volatile.Read(ref _waiting), () => Volatile.Read(ref _running));
        return Task.CompletedTask;
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        _gauges?.Dispose();
        return Task.CompletedTask;
    }

    public Task<ModelGrainLoad> GetLoad() => Task.FromResult(Load());

    private ModelGrainLoad Load()
    {
        var capacity = _options.Capacity;
        return new ModelGrainLoad(_waiting, _running, capacity, capacity + _options.MaxQueue, _completed);
    }

    public Task<string> GetSilo() => Task.FromResult(_silo.SiloAddress.ToParsableString());

    public async Task<ModelJobResult> Run(ModelJob job, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(job);
        if (Load() is { IsFull: true } load)
            throw new ReplicaBusyException($"Replica {this.GetPrimaryKeyString()} has {load.Total} jobs; its limit is {load.Limit}.");
        if (!_options.ReleaseMemoryWhenIdle) return await RunJobAsync(job, ct);
        IdleMemoryRelease.JobStarted();
        try
        {
            return await RunJobAsync(job, ct);
        }
        finally
        {
            IdleMemoryRelease.JobEnded();
        }
    }

    private async Task<ModelJobResult> RunJobAsync(ModelJob job, CancellationToken ct)
    {
        using var scope = LogScopes.Segmentation(_logger, job.SegmentationId);
        var sender = new ProgressSender(GrainFactory.GetGrain<ISegmentationGrain>(job.SegmentationId), job.Attempt, TaskScheduler.Current);
        IProgress<PipelineProgress> paced = _options.StagePause > TimeSpan.Zero ? new StagePauseProgress(sender, _options.StagePause, ct) : sender;
        var parent = job.TraceParent is not null && ActivityContext.TryParse(job.TraceParent, null, out var context) ? context
            : Activity.Current?.Context ?? default;
        var stages = new StageTelemetry(paced, job.ModelId, parent, TimeProvider.System);
        IProgress<PipelineProgress> progress = stages;
        try
        {
            var model = _catalog.Find(job.ModelId);
            if (!_store.Exists(job.Input))
                return ModelJobResult.Failure(FailureCodes.InputMissing, $"The upload '{job.Input.Key}' is not in the artifact store.");
            using var rt = new MemoryStream();
            var outcome = await _segmenter.RunAsync(_store.LocalPath(job.Input), model, rt, job.ModelId, null, JobGates(), progress, ct);
            rt.Position = 0;
            var writeStart = TimeProvider.System.GetUtcNow();
            await WriteOtherFormatsAsync(job, outcome.Segmentation, model, ct);
            if (_options.Preview) await WritePreviewAsync(job, outcome.Segmentation, model, ct);
            await sender.DrainAsync(ProgressDrainTimeout);
            // A result already there was written by an earlier attempt of this job (the stages are pure functions of
            // the upload): it stands, so the job's result is written once.
            if (!await _store.PutIfAbsentAsync(job.ResultKey, rt, ct))
                LogResultKept(_logger, job.ResultKey, job.SegmentationId, job.Attempt);
            stages.Record("write", writeStart);
            Interlocked.Increment(ref _completed);
            return ModelJobResult.Success(new ArtifactRef(job.ResultKey), _hasher.HashOrNull(outcome.Segmentation.Reference.StudyInstanceUid));
        }
        catch (Exception e) when (Permanent(e) is { } failure)
        {
            stages.Fail(failure.ErrorCode ?? FailureCodes.Unknown);
            return failure;
        }
        catch (Exception e)
        {
            stages.Fail(e is OperationCanceledException ? "Cancelled" : e.GetType().Name);
            throw;
        }
    }

    /// <summary>
    /// Writes the result in each of <see cref="ModelGrainOptions.ResultFormats"/> beside the RT Structure Set. A form the
    /// result cannot take (overlapping regions as a label map) or that fails to be written is left out and logged; the
    /// job still completes with its RT Structure Set.
    /// </summary>
    private async Task WriteOtherFormatsAsync(ModelJob job, SegmentationResult result, ModelConfig model, CancellationToken ct)
    {
        var rt = new ArtifactRef(job.ResultKey);
        foreach (var format in _options.Formats().Where(f => f != ResultFormat.RtStruct).Distinct())
        {
            var target = ResultArtifacts.Of(rt, format);
            if (_store.Exists(target)) continue;
            try
            {
                var bytes = await Task.Run(() => format switch
                {
                    ResultFormat.Seg => ResultWriters.Seg(result, model, SegForm.Binary, job.ModelId),
                    ResultFormat.LabelMapSeg => ResultWriters.Seg(result, model, SegForm.LabelMap, job.ModelId),
                    _ => GzipNifti(ResultWriters.Labels(result, model)),
                }, ct);
                await _store.PutIfAbsentAsync(target.Key, new MemoryStream(bytes), ct);
            }
            catch (SegmentOverlapException e)
            {
                LogFormatSkipped(_logger, job.SegmentationId, ResultArtifacts.Name(format), e.Message);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The RT Structure Set is the job's result; a form that cannot be written is missing, not a failed job.
                LogFormatFailed(_logger, e, job.SegmentationId, ResultArtifacts.Name(format));
            }
        }
    }

    /// <summary>
    /// Renders the preview PNG beside the RT Structure Set while the volume is in memory. Like the other forms it is an
    /// extra: a preview that fails is logged and left out, the job still completes.
    /// </summary>
    private async Task WritePreviewAsync(ModelJob job, SegmentationResult result, ModelConfig model, CancellationToken ct)
    {
        var target = ResultArtifacts.PreviewOf(new ArtifactRef(job.ResultKey));
        if (_store.Exists(target)) return;
        try
        {
            var preview = await Task.Run(() => ResultWriters.Preview(result, model, _options.PreviewPanelPixels), ct);
            await _store.PutIfAbsentAsync(target.Key, new MemoryStream(preview.Png), ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogPreviewFailed(_logger, e, job.SegmentationId);
        }
    }

    private static byte[] GzipNifti(NiftiImage image)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new System.IO.Compression.GZipStream(buffer, System.IO.Compression.CompressionLevel.Fastest, leaveOpen: true))
            NiftiWriter.Write(gzip, image);
        return buffer.ToArray();
    }

    /// <summary>
    /// A job's slots. Decoded volumes are the memory a job holds: only DecodeAhead jobs decode, or wait decoded, beyond
    /// the Capacity jobs in the network stage. A job counts as waiting while it holds or waits for a decode slot.
    /// </summary>
    private SegmenterGates JobGates() => new(
        async ct =>
        {
            Interlocked.Increment(ref _waiting);
            try
            {
                await _decode.WaitAsync(ct);
            }
            catch
            {
                Interlocked.Decrement(ref _waiting);
                throw;
            }
            return new Release(() =>
            {
                _decode.Release();
                Interlocked.Decrement(ref _waiting);
            });
        },
        async ct =>
        {
            await _network.WaitAsync(ct);
            Interlocked.Increment(ref _running);
            var slot = new Release(() =>
            {
                Interlocked.Decrement(ref _running);
                _network.Release();
            });
            try
            {
                if (_options.NetworkStageDelay > TimeSpan.Zero) await Task.Delay(_options.NetworkStageDelay, ct);
            }
            catch
            {
                slot.Dispose();
                throw;
            }
            return slot;
        });

    private sealed class Release(Action release) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0) release();
        }
    }

    /// <summary>Input and service faults, as a failed result; a transient fault is rethrown (the job retries it).</summary>
    private static ModelJobResult? Permanent(Exception e) => FailureClassifier.Classify(e) switch
    {
        { Kind: FailureKind.Transient } => null,
        var failure => ModelJobResult.Failure(failure.Code, failure.Message),
    };

    /// <summary>
    /// Sends progress to the segmentation grain from the grain's own scheduler (the pipeline reports from worker
    /// threads): each stage change, then every 10 % and 100 %. Each call waits for the one before, so the reports
    /// arrive in order; a failed report is dropped (progress is advisory).
    /// </summary>
    private sealed class ProgressSender(ISegmentationGrain target, int attempt, TaskScheduler scheduler) : IProgress<PipelineProgress>
    {
        private readonly Lock _lock = new();
        private string? _stage;
        private int _sent = -1;
        private Task _chain = Task.CompletedTask;

        public void Report(PipelineProgress value)
        {
            lock (_lock)
            {
                if (value.Stage == _stage && (value.Percent == _sent || (value.Percent < 100 && value.Percent < _sent + 10))) return;
                _stage = value.Stage;
                _sent = value.Percent;
                var previous = _chain;
                _chain = Task.Factory.StartNew(() => SendAfter(previous, value), CancellationToken.None, TaskCreationOptions.None, scheduler)
                    .Unwrap();
            }
        }

        /// <summary>Waits (at most <paramref name="timeout"/>) until every report so far has been delivered.</summary>
        public Task DrainAsync(TimeSpan timeout)
        {
            Task chain;
            lock (_lock) chain = _chain;
            return Task.WhenAny(chain, Task.Delay(timeout));
        }

        private async Task SendAfter(Task previous, PipelineProgress value)
        {
            await previous;
            try
            {
                await target.ReportProgress(attempt, value.Stage, value.Percent);
            }
            catch (Exception)
            {
                // The segmentation grain is moving or gone; it re-drives the job itself if it must.
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Result {Key} of {Segmentation} already written; attempt {Attempt} keeps it.")]
    private static partial void LogResultKept(ILogger logger, string key, string segmentation, int attempt);

    [LoggerMessage(Level = LogLevel.Information, Message = "Segmentation {Id}: no {Format} result ({Message}).")]
    private static partial void LogFormatSkipped(ILogger logger, string id, string format, string message);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Segmentation {Id}: the {Format} result could not be written.")]
    private static partial void LogFormatFailed(ILogger logger, Exception exception, string id, string format);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Segmentation {Id}: the preview could not be written.")]
    private static partial void LogPreviewFailed(ILogger logger, Exception exception, string id);
}
