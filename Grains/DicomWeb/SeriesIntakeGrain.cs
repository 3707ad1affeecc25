using InnerEye.Grains.Artifacts;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace InnerEye.Grains.DicomWeb;

/// <summary>
/// Receives one series' instances (keyed by its SeriesInstanceUID) and routes it once complete:
/// Receiving → (quiet period) → Handing → Routed, or → Unrouted; both end by deleting the instances after their
/// retention. Every change is persisted before the caller is answered; a durable reminder carries the series through
/// restarts, a timer keeps it on time while active.
/// </summary>
[JobPlacementFilter]
public sealed partial class SeriesIntakeGrain : Grain, ISeriesIntakeGrain, IRemindable
{
    public const string IntakeReminder = "intake";

    private readonly IPersistentState<SeriesIntakeState> _state;
    private readonly IArtifactStore _store;
    private readonly DicomWebOptions _options;
    private readonly DicomWebRouter _router;
    private readonly TimeSpan _reminderPeriod;
    private readonly ILogger<SeriesIntakeGrain> _logger;
    private readonly TimeProvider _time;
    private IGrainTimer? _timer;

    public SeriesIntakeGrain([PersistentState("series", "jobs")] IPersistentState<SeriesIntakeState> state, IArtifactStore store,
        IOptions<DicomWebOptions> options, DicomWebRouter router, IOptions<SegmentationOptions> segmentation, TimeProvider time,
        ILogger<SeriesIntakeGrain> logger)
    {
        _state = state;
        _store = store;
        _options = options.Value;
        _router = router;
        _reminderPeriod = segmentation.Value.RedriveInterval;
        _time = time;
        _logger = logger;
    }

    private SeriesIntakeState Series => _state.State;

    /// <summary>The series' UID, from its state (the key is a hash of it; before that the key was the UID itself).</summary>
    private string SeriesUid => Series.Series?.SeriesInstanceUid ?? this.GetPrimaryKeyString();

    /// <summary>The series' name in logs: a hash of its UID, never the UID.</summary>
    private string LogName => IntakeKeys.Hash(SeriesUid);

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (Series.Exists) ArmTimer();
        return Task.CompletedTask;
    }

    public async Task<IReadOnlyList<InstanceOutcome>> Receive(ReceivedBatch batch, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (IntakeKeys.Grain(batch.Series.SeriesInstanceUid) != this.GetPrimaryKeyString())
            throw new ArgumentException($"The batch is of another series than {this.GetPrimaryKeyString()}.", nameof(batch));
        var outcomes = new List<InstanceOutcome>(batch.Instances.Count);
        var stored = false;
        foreach (var instance in batch.Instances)
        {
            if (Series.Instances.TryGetValue(instance.SopInstanceUid, out var known) && known.ContentHash == instance.ContentHash
                && known.Length == instance.Length)
            {
                await _store.DeleteAsync(instance.Incoming, CancellationToken.None);
                outcomes.Add(InstanceOutcome.Duplicate);
                continue;
            }
            var target = IntakeKeys.Instance(batch.Series.SeriesInstanceUid, instance.SopInstanceUid);
            var artifact = await _store.MoveAsync(instance.Incoming, target, CancellationToken.None);
            Series.Instances[instance.SopInstanceUid] = new StoredInstance(instance.SopClassUid, artifact, instance.ContentHash, instance.Length);
            outcomes.Add(InstanceOutcome.Stored);
            stored = true;
        }
        if (!stored) return outcomes;

        var now = _time.GetUtcNow();
        var first = !Series.Exists;
        Series.Series = batch.Series;
        Series.LastReceivedAt = now;
        if (Series.Phase != SeriesPhase.Receiving)
        {
            // A late instance: the whole series is routed again once it is quiet.
            LogReopened(_logger, LogName, Series.Phase);
            Series.Phase = SeriesPhase.Receiving;
            Series.PhaseSince = now;
        }
        else if (first)
        {
            Series.PhaseSince = now;
        }

        await _state.WriteStateAsync(CancellationToken.None);
        if (first || await this.GetReminder(IntakeReminder) is null)
            await this.RegisterOrUpdateReminder(IntakeReminder, _options.SeriesQuietPeriod, _reminderPeriod);
        ArmTimer();
        return outcomes;
    }

    public Task<int> GetInstanceCount() => Task.FromResult(Series.Instances.Count);

    public Task ReceiveReminder(string reminderName, TickStatus status) => AdvanceAsync();

    /// <summary>Moves the series on as far as the clock allows, then sets the timer for its next step.</summary>
    private async Task AdvanceAsync()
    {
        if (!Series.Exists)
        {
            await UnregisterAsync();
            DeactivateOnIdle();
            return;
        }
        var now = _time.GetUtcNow();
        if (Series.Phase == SeriesPhase.Receiving && now - Series.LastReceivedAt >= _options.SeriesQuietPeriod) await CompleteAsync(now);
        if (Series.Phase == SeriesPhase.Handing) await HandToStudyAsync();
        if (Series.Phase is SeriesPhase.Routed or SeriesPhase.Unrouted && now >= Series.PhaseSince + Retention)
        {
            await DeleteAsync();
            return;
        }
        ArmTimer();
    }

    private TimeSpan Retention => Series.Phase == SeriesPhase.Unrouted ? _options.UnroutedRetention : _options.RoutedRetention;

    private async Task CompleteAsync(DateTimeOffset now)
    {
        Series.Round++;
        Series.PhaseSince = now;
        if (_router.Route(Series.Series!) is { } match)
        {
            Series.Phase = SeriesPhase.Handing;
            Series.RouteIndex = match.RouteIndex;
            Series.Channel = match.Channel;
            LogRouted(_logger, LogName, Series.Instances.Count, match.RouteName, match.Channel);
        }
        else
        {
            Series.Phase = SeriesPhase.Unrouted;
            Series.RouteIndex = -1;
            LogUnrouted(_logger, LogName, Series.Series!.Modality ?? "", Series.Instances.Count, _options.UnroutedRetention);
        }
        await _state.WriteStateAsync(CancellationToken.None);
    }

    private async Task HandToStudyAsync()
    {
        var completed = new CompletedSeries(SeriesUid, Series.RouteIndex, Series.Channel,
            [.. Series.Instances.OrderBy(i => i.Key, StringComparer.Ordinal).Select(i => i.Value.Artifact)], Series.Round,
            Series.Series!.StudyInstanceUid);
        try
        {
            await GrainFactory.GetGrain<IStudyIntakeGrain>(IntakeKeys.Grain(Series.Series!.StudyInstanceUid)).SeriesComplete(completed);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Handed again at the next reminder tick; the study's intake takes a round once.
            LogHandFailed(_logger, e, LogName);
            return;
        }
        Series.Phase = SeriesPhase.Routed;
        Series.PhaseSince = _time.GetUtcNow();
        await _state.WriteStateAsync(CancellationToken.None);
    }

    private async Task DeleteAsync()
    {
        await _store.DeleteAsync(new ArtifactRef(IntakeKeys.SeriesFolder(SeriesUid)), CancellationToken.None);
        var count = Series.Instances.Count;
        await _state.ClearStateAsync(CancellationToken.None);
        await UnregisterAsync();
        _timer?.Dispose();
        _timer = null;
        LogDeleted(_logger, LogName, count);
        DeactivateOnIdle();
    }

    /// <summary>A one-shot timer for the series' next step (end of the quiet period or of the retention).</summary>
    private void ArmTimer()
    {
        if (!Series.Exists) return;
        var due = Series.Phase switch
        {
            SeriesPhase.Receiving => Series.LastReceivedAt + _options.SeriesQuietPeriod,
            SeriesPhase.Handing => _time.GetUtcNow() + _reminderPeriod,
            _ => Series.PhaseSince + Retention,
        } - _time.GetUtcNow();
        if (due < TimeSpan.Zero) due = TimeSpan.Zero;
        _timer?.Dispose();
        _timer = this.RegisterGrainTimer(_ => AdvanceAsync(), new GrainTimerCreationOptions
        {
            DueTime = due + TimeSpan.FromMilliseconds(10),
            Period = Timeout.InfiniteTimeSpan,
            KeepAlive = Series.Phase is SeriesPhase.Receiving or SeriesPhase.Handing,
        });
    }

    private async Task UnregisterAsync()
    {
        if (await this.GetReminder(IntakeReminder) is { } reminder) await this.UnregisterReminder(reminder);
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Series {Series} ({Count} instances) is complete and routed by {Rule} (channel '{Channel}').")]
    private static partial void LogRouted(ILogger logger, string series, int count, string rule, string channel);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Series {Series} (modality '{Modality}', {Count} instances) matches no routing rule; it is deleted after {Retention}.")]
    private static partial void LogUnrouted(ILogger logger, string series, string modality, int count, TimeSpan retention);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Series {Series} received a new instance after it was {Phase}; it is routed again once quiet.")]
    private static partial void LogReopened(ILogger logger, string series, SeriesPhase phase);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Series {Series} could not be handed to its study's intake; trying again.")]
    private static partial void LogHandFailed(ILogger logger, Exception exception, string series);

    [LoggerMessage(Level = LogLevel.Information, Message = "Series {Series}: its {Count} received instances are deleted.")]
    private static partial void LogDeleted(ILogger logger, string series, int count);
}
