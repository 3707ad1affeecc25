using InnerEye.Grains.Artifacts;
using InnerEye.Grains.Audit;
using InnerEye.Grains.Telemetry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace InnerEye.Grains.DicomWeb;

/// <summary>
/// Delivers one result to one destination (keyed <c>"&lt;segmentation id&gt;/&lt;destination&gt;"</c>): the same file,
/// so the same SOP Instance UID, on every attempt; attempts back off exponentially from
/// <see cref="DeliveryOptions.FirstRetryDelay"/> to <see cref="DeliveryOptions.MaxRetryDelay"/> until delivered, rejected
/// for good, or <see cref="DeliveryOptions.GiveUpAfter"/> has passed. Each change is persisted and reported to the
/// segmentation; a reminder brings a pending delivery back after a restart.
/// </summary>
[JobPlacementFilter]
public sealed partial class DeliveryGrain : Grain, IDeliveryGrain, IRemindable
{
    public const string DeliverReminder = "deliver";

    private readonly IPersistentState<DeliveryJobState> _state;
    private readonly IArtifactStore _store;
    private readonly StowClient _client;
    private readonly DicomWebOptions _options;
    private readonly TimeSpan _reminderPeriod;
    private readonly TimeProvider _time;
    private readonly ILogger<DeliveryGrain> _logger;
    private readonly IAuditLog _audit;
    private IGrainTimer? _timer;
    private bool _attempting;

    public DeliveryGrain([PersistentState("delivery", "jobs")] IPersistentState<DeliveryJobState> state, IArtifactStore store, StowClient client,
        IOptions<DicomWebOptions> options, IOptions<SegmentationOptions> segmentation, TimeProvider time, ILogger<DeliveryGrain> logger,
        IAuditLog audit)
    {
        _audit = audit;
        _state = state;
        _store = store;
        _client = client;
        _options = options.Value;
        _reminderPeriod = segmentation.Value.RedriveInterval;
        _time = time;
        _logger = logger;
    }

    private DeliveryJobState Delivery => _state.State;

    private string Key => this.GetPrimaryKeyString();

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (Delivery.Started && Delivery.State == DeliveryState.Pending) ArmTimer();
        return Task.CompletedTask;
    }

    public async Task<DeliveryStatus> Start(DeliveryRequest request, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (Delivery.Started) return Delivery.Status();
        var now = _time.GetUtcNow();
        Delivery.Request = request;
        Delivery.State = DeliveryState.Pending;
        Delivery.StartedAt = now;
        Delivery.NextAttemptAt = now;
        await _state.WriteStateAsync(CancellationToken.None);
        await this.RegisterOrUpdateReminder(DeliverReminder, _reminderPeriod, _reminderPeriod);
        ArmTimer();
        return Delivery.Status();
    }

    public Task<DeliveryStatus?> GetStatus() => Task.FromResult(Delivery.Started ? Delivery.Status() : null);

    public async Task Forget()
    {
        _timer?.Dispose();
        _timer = null;
        await UnregisterAsync();
        if (Delivery.Started) await _state.ClearStateAsync(CancellationToken.None);
        DeactivateOnIdle();
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (!Delivery.Started || Delivery.State != DeliveryState.Pending)
        {
            await UnregisterAsync();
            return;
        }
        if (Delivery.NextAttemptAt <= _time.GetUtcNow()) await AttemptAsync();
        else ArmTimer();
    }

    private void ArmTimer()
    {
        var due = (Delivery.NextAttemptAt ?? _time.GetUtcNow()) - _time.GetUtcNow();
        if (due < TimeSpan.Zero) due = TimeSpan.Zero;
        _timer?.Dispose();
        _timer = this.RegisterGrainTimer(_ => AttemptAsync(), new GrainTimerCreationOptions
        {
            DueTime = due,
            Period = Timeout.InfiniteTimeSpan,
            Interleave = true,
            KeepAlive = true,
        });
    }

    /// <summary>One STOW-RS attempt; the outcome is persisted and reported before the next is planned.</summary>
    private async Task AttemptAsync()
    {
        if (_attempting || !Delivery.Started || Delivery.State != DeliveryState.Pending) return;
        _attempting = true;
        try
        {
            var request = Delivery.Request!;
            using var scope = LogScopes.Segmentation(_logger, request.SegmentationId);
            var outcome = await SendAsync(request);
            if (!Delivery.Started) return; // forgotten while the request was out
            var now = _time.GetUtcNow();
            Delivery.Attempts++;
            InnerEyeMetrics.DeliveryAttempt(request.Destination, outcome.Kind.ToString().ToLowerInvariant());
            Delivery.LastError = outcome.Kind == StowOutcomeKind.Delivered ? null : outcome.Detail;
            switch (outcome.Kind)
            {
                case StowOutcomeKind.Delivered:
                    Delivery.State = DeliveryState.Delivered;
                    Delivery.DeliveredAt = now;
                    LogDelivered(_logger, request.SegmentationId, request.Destination, Delivery.Attempts);
                    break;
                case StowOutcomeKind.Rejected:
                    Delivery.State = DeliveryState.Failed;
                    LogRejected(_logger, request.SegmentationId, request.Destination, outcome.Detail);
                    break;
                default:
                    var delay = Backoff(Delivery.Attempts);
                    if (now + delay - Delivery.StartedAt > _options.Delivery.GiveUpAfter)
                    {
                        Delivery.State = DeliveryState.Failed;
                        Delivery.LastError =
                            $"Gave up after {Delivery.Attempts} attempts in {_options.Delivery.GiveUpAfter}; the last: {outcome.Detail}";
                        LogGaveUp(_logger, request.SegmentationId, request.Destination, Delivery.Attempts);
                    }
                    else
                    {
                        Delivery.NextAttemptAt = now + delay;
                        LogRetrying(_logger, request.SegmentationId, request.Destination, outcome.Detail, delay);
                    }
                    break;
            }
            await _state.WriteStateAsync(CancellationToken.None);
            if (Delivery.State != DeliveryState.Pending)
            {
                var (modelId, version) = AuditModel.Split(request.ModelId);
                _audit.Write(new AuditRecord(now, null, AuditActions.Delivery, null, null, modelId, version, request.SegmentationId,
                    request.StudyHash, null, Delivery.State == DeliveryState.Delivered ? AuditActions.Ok : $"failed: {request.Destination}"));
            }
            await ReportAsync();
            if (Delivery.State == DeliveryState.Pending)
            {
                ArmTimer();
            }
            else
            {
                _timer?.Dispose();
                _timer = null;
                await UnregisterAsync();
            }
        }
        finally
        {
            _attempting = false;
        }
    }

    private async Task<StowOutcome> SendAsync(DeliveryRequest request)
    {
        if (!_options.Destinations.TryGetValue(request.Destination, out var destination))
            return new StowOutcome(StowOutcomeKind.Rejected, $"No destination '{request.Destination}' is configured (DicomWeb:Destinations).");
        if (request.Sent.FirstOrDefault(f => !_store.Exists(f)) is { } missing)
        {
            return new StowOutcome(StowOutcomeKind.Rejected, missing == request.Result
                ? "The result is no longer in the artifact store (its retention ended)."
                : $"The result was not kept as '{missing.Key[(missing.Key.LastIndexOf('/') + 1)..]}' (ModelGrain:ResultFormats, or regions that " +
                "overlap have no label map).");
        }
        try
        {
            return await _client.StoreAsync(destination, [.. request.Sent.Select<ArtifactRef, Func<Stream>>(f => () => _store.OpenRead(f))],
                _options.Delivery.RequestTimeout, CancellationToken.None);
        }
        catch (FileNotFoundException)
        {
            return new StowOutcome(StowOutcomeKind.Rejected, "The result is no longer in the artifact store (its retention ended).");
        }
    }

    private TimeSpan Backoff(int attempts)
    {
        var first = _options.Delivery.FirstRetryDelay;
        var factor = Math.Pow(2, Math.Min(attempts - 1, 30));
        var ticks = Math.Min(first.Ticks * factor, _options.Delivery.MaxRetryDelay.Ticks);
        return TimeSpan.FromTicks((long)ticks);
    }

    private async Task ReportAsync()
    {
        try
        {
            await GrainFactory.GetGrain<ISegmentationGrain>(Delivery.Request!.SegmentationId).ReportDelivery(Delivery.Status());
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogReportFailed(_logger, e, Delivery.Request!.SegmentationId);
        }
    }

    private async Task UnregisterAsync()
    {
        if (await this.GetReminder(DeliverReminder) is { } reminder) await this.UnregisterReminder(reminder);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Segmentation {Id}: result delivered to {Destination} (attempt {Attempts}).")]
    private static partial void LogDelivered(ILogger logger, string id, string destination, int attempts);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Segmentation {Id}: {Destination} refused the result for good: {Detail}")]
    private static partial void LogRejected(ILogger logger, string id, string destination, string detail);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Segmentation {Id}: delivery to {Destination} failed ({Detail}); next attempt in {Delay}.")]
    private static partial void LogRetrying(ILogger logger, string id, string destination, string detail, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Segmentation {Id}: delivery to {Destination} given up after {Attempts} attempts.")]
    private static partial void LogGaveUp(ILogger logger, string id, string destination, int attempts);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Segmentation {Id}: a delivery's status could not be reported; it is reported again with the next change.")]
    private static partial void LogReportFailed(ILogger logger, Exception exception, string id);
}
