using System.Diagnostics;
using InnerEye.Grains.Artifacts;
using InnerEye.Grains.Audit;
using InnerEye.Grains.Storage;
using InnerEye.Grains.Telemetry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace InnerEye.Grains;

/// <summary>
/// Owns one segmentation job: Queued → Running(stage, percent) → Completed | Failed(code, detail) | Cancelled, the
/// state written through <see cref="IPersistentState{T}"/> at every transition before the caller is answered.
/// <para>
/// The work runs off the grain's turns, in a one-shot timer that calls a model replica; calls (status, cancel,
/// progress) interleave with it. A durable "redrive" reminder, registered at submit, reactivates the grain wherever it
/// is placed after a deactivation or the loss of its silo; activation restarts an unfinished job (the model stages are
/// pure functions of the upload, so a re-run is idempotent). Completion is written once: the state is checked before
/// the result is recorded. Transient faults are retried <see cref="SegmentationOptions.MaxTransientRetries"/> times;
/// input errors fail at once with the Imaging or Inference code and message.
/// </para>
/// <para>
/// At a terminal state the upload is deleted (unless a failed job's upload is kept for debugging, then until
/// <see cref="StorageOptions.FailedUploadRetention"/>) and the reminder becomes a "retention" reminder due after
/// <see cref="SegmentationOptions.RetentionPeriod"/>, which deletes the result and clears the state.
/// </para>
/// </summary>
[JobPlacementFilter]
public sealed partial class SegmentationGrain : Grain, ISegmentationGrain, IRemindable
{
    public const string RedriveReminder = "redrive";
    public const string RetentionReminder = "retention";
    private static readonly TimeSpan MaxWaitDelay = TimeSpan.FromSeconds(15);

    private readonly IPersistentState<SegmentationJobState> _state;
    private readonly IArtifactStore _store;
    private readonly SegmentationOptions _options;
    private readonly StorageOptions _storage;
    private readonly ILogger<SegmentationGrain> _logger;
    private readonly IAuditLog _audit;
    private readonly StudyHasher _hasher;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly TimeProvider _time;
    private IGrainTimer? _timer;
    private IGrainTimer? _retentionTimer;
    private CancellationTokenSource? _run;
    private int _persistedProgress;

    public SegmentationGrain([PersistentState("segmentation", "jobs")] IPersistentState<SegmentationJobState> state, IArtifactStore store,
        IOptions<SegmentationOptions> options, IOptions<StorageOptions> storage, TimeProvider time, ILogger<SegmentationGrain> logger,
        IAuditLog audit, StudyHasher hasher)
    {
        _time = time;
        _audit = audit;
        _hasher = hasher;
        _state = state;
        _store = store;
        _options = options.Value;
        _storage = storage.Value;
        _logger = logger;
    }

    private SegmentationJobState Job => _state.State;

    private string Id => this.GetPrimaryKeyString();

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // A job left Queued or Running has no runner here: start it again.
        if (Job.Submitted && !Job.IsTerminal) ScheduleRun();
        return Task.CompletedTask;
    }

    /// <summary>
    /// Leaving this silo (shutdown, rebalancing, idle collection): the run stops here and the replica drops the job;
    /// the redrive reminder or the next status call reactivates the grain wherever it is placed, and it starts again.
    /// </summary>
    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        using var scope = LogScopes.Segmentation(_logger, Id);
        if (_run is { } run && !Job.IsTerminal)
        {
            LogHandedBack(_logger, Id, reason.Description);
            run.Cancel();
        }
        return Task.CompletedTask;
    }

    public async Task<SegmentationStatus> Submit(SubmitSegmentation request, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrWhiteSpace(request.ModelId);
        using var scope = LogScopes.Segmentation(_logger, Id);
        ArgumentNullException.ThrowIfNull(request.Input);
        if (Job.Submitted)
        {
            if (Job.ModelId != request.ModelId || Job.Input != request.Input)
            {
                throw new ArgumentException($"Segmentation '{Id}' was submitted with model '{Job.ModelId}' and input '{Job.Input?.Key}'.",
                    nameof(request));
            }
            // The same submit again, perhaps after one that failed once the state was written (its reminder's silo was
            // lost): the job must still run and be redriven.
            if (!Job.IsTerminal)
            {
                ScheduleRun();
                if (await this.GetReminder(RedriveReminder) is null) await RegisterRedriveAsync();
            }
            return Status();
        }
        var now = _time.GetUtcNow();
        Job.ModelId = request.ModelId;
        Job.Input = request.Input;
        Job.Origin = request.Origin;
        Job.Client = request.Client;
        Job.StudyHash = _hasher.HashOrNull(request.Origin?.StudyInstanceUid);
        Job.State = JobState.Queued;
        Job.CreatedAt = now;
        Job.UpdatedAt = now;
        Job.Stages = [new StageTime("queued", now)];
        Job.TraceParent = InnerEyeTracing.CurrentTraceParent();
        await PersistAsync();
        InnerEyeMetrics.JobSubmitted(request.ModelId);
        // The run is scheduled before the reminder is registered, so that a failed registration still leaves a job that
        // runs, ends and expires rather than a Queued state nothing would ever pick up.
        ScheduleRun();
        await RegisterRedriveAsync();
        await AddToIndexAsync();
        return Status();
    }

    private Task RegisterRedriveAsync() => this.RegisterOrUpdateReminder(RedriveReminder, _options.RedriveInterval, _options.RedriveInterval);

    public Task<SegmentationStatus?> GetStatus(CancellationToken ct = default) =>
        Task.FromResult(Job.Submitted ? Status() : null);

    public async Task<SegmentationStatus?> Cancel(CancellationToken ct = default)
    {
        if (!Job.Submitted) return null;
        if (Job.IsTerminal) return Status();
        using var scope = LogScopes.Segmentation(_logger, Id);
        await EndAsync(JobState.Cancelled, null, null, null);
        _run?.Cancel();
        return Status();
    }

    public async Task ReportProgress(int attempt, string stage, int percent)
    {
        if (!Job.Submitted || Job.IsTerminal || attempt != Job.Attempts) return;
        var now = _time.GetUtcNow();
        var changed = Job.State != JobState.Running || Job.Stage != stage;
        if (Job.State == JobState.Queued && Job.Stages.LastOrDefault(s => s.Stage == "queued") is { } queued)
            InnerEyeMetrics.StageTime(Job.ModelId!, "queue", now - queued.At);
        if (Job.Stage != stage)
        {
            Job.Stage = stage;
            Job.Stages.Add(new StageTime(stage, now));
        }
        Job.Progress = Math.Clamp(percent, 0, 100);
        Job.UpdatedAt = now;
        var started = Job.State != JobState.Running;
        Job.State = JobState.Running;
        if (changed || Job.Progress >= _persistedProgress + 10 || Job.Progress == 100) await PersistAsync();
        if (started) await UpdateIndexAsync();
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        using var scope = LogScopes.Segmentation(_logger, Id);
        if (!Job.Submitted)
        {
            // A tick of an expired job's reminder: nothing to keep this activation for.
            await UnregisterAsync(reminderName);
            DeactivateOnIdle();
            return;
        }
        if (Job.IndexKey is null) await AddToIndexAsync();
        if (!Job.IsTerminal)
        {
            ScheduleRun();
            return;
        }
        if (reminderName == RedriveReminder)
        {
            await SwitchToRetentionAsync();
            return;
        }
        await RetainAsync();
    }

    /// <summary>A retention tick (the reminder's, or the timer's when it is due sooner than a reminder ticks).</summary>
    private async Task RetainAsync()
    {
        if (!Job.Submitted || !Job.IsTerminal) return;
        await StartDeliveriesAsync();
        await RefreshDeliveriesAsync();
        var now = _time.GetUtcNow();
        if (now >= Job.UpdatedAt + _options.RetentionPeriod)
        {
            await ExpireAsync();
            return;
        }
        if (!Job.InputDeleted && (!KeepsUpload || now >= Job.UpdatedAt + _storage.FailedUploadRetention))
        {
            await DeleteInputAsync();
            await SwitchToRetentionAsync(); // next due: the end of the retention period
        }
    }

    public async Task ReportDelivery(DeliveryStatus delivery)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        var index = Job.Deliveries.FindIndex(d => d.Destination == delivery.Destination);
        if (index < 0 || Job.Deliveries[index] == delivery) return;
        Job.Deliveries[index] = delivery;
        await PersistAsync();
    }

    /// <summary>Hands the result to a delivery grain for each destination (idempotent: a grain that has it returns its status).</summary>
    private async Task StartDeliveriesAsync()
    {
        if (Job.State != JobState.Completed || Job.DeliveriesStarted || Job.Result is not { } result) return;
        try
        {
            foreach (var delivery in Job.Deliveries.ToList())
            {
                var files = Job.Origin!.DeliveredFormats.Select(f => ResultArtifacts.Of(result, f)).ToList();
                var status = await DeliveryOf(delivery.Destination).Start(new DeliveryRequest(Id, result, delivery.Destination, files, Job.ModelId,
                    Job.StudyHash));
                var index = Job.Deliveries.FindIndex(d => d.Destination == delivery.Destination);
                if (status.Attempts >= Job.Deliveries[index].Attempts) Job.Deliveries[index] = status;
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogDeliveriesNotStarted(_logger, e, Id);
            return;
        }
        Job.DeliveriesStarted = true;
        await PersistAsync();
    }

    /// <summary>Reads the status of each pending delivery from its grain, in case a report of it was lost.</summary>
    private async Task RefreshDeliveriesAsync()
    {
        if (!Job.DeliveriesStarted) return;
        foreach (var delivery in Job.Deliveries.Where(d => d.State == DeliveryState.Pending).ToList())
        {
            try
            {
                if (await DeliveryOf(delivery.Destination).GetStatus() is { } status) await ReportDelivery(status);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogDeliveryUnread(_logger, e, Id);
            }
        }
    }

    private IDeliveryGrain DeliveryOf(string destination) => GrainFactory.GetGrain<IDeliveryGrain>($"{Id}/{destination}");

    /// <summary>Deletes the job's artifacts and state and its reminders (the retention period is over).</summary>
    internal async Task ExpireAsync()
    {
        foreach (var delivery in Job.Deliveries.ToList()) await DeliveryOf(delivery.Destination).Forget();
        if (Job.Result is { } result)
        {
            foreach (var format in ResultArtifacts.AllFormats) await _store.DeleteAsync(ResultArtifacts.Of(result, format));
            await _store.DeleteAsync(ResultArtifacts.ZipOf(result));
            await _store.DeleteAsync(ResultArtifacts.PreviewOf(result));
        }
        if (Job.Input is { } input) await _store.DeleteAsync(input);
        if (Job.IndexKey is { } index) await GrainFactory.GetGrain<IJobIndexGrain>(index).Remove(Id);
        // Recorded before the state goes: a record that cannot be written leaves the job to expire again at the next tick.
        var (modelId, version) = AuditModel.Split(Job.ModelId);
        _audit.Write(new AuditRecord(_time.GetUtcNow(), null, AuditActions.RetentionDelete, null, null, modelId, version, Id, Job.StudyHash,
            null, AuditActions.Ok));
        await _writeLock.WaitAsync();
        try
        {
            await _state.ClearStateAsync();
        }
        finally
        {
            _writeLock.Release();
        }
        await UnregisterAsync(RetentionReminder);
        await UnregisterAsync(RedriveReminder);
        LogExpired(_logger, Id);
        DeactivateOnIdle();
    }

    private SegmentationStatus Status() => new(Id, Job.ModelId ?? "", Job.State, Job.Stage, Job.Progress, Job.ErrorCode, Job.ErrorDetail,
        Job.CreatedAt, Job.UpdatedAt, Job.Result, [.. Job.Stages], Job.Origin, Job.Origin is null ? null : [.. Job.Deliveries], Job.Client,
        Job.StudyHash);

    /// <summary>
    /// Lists the job in the index shard of its creation day (the first one not full). A failure is logged, not thrown:
    /// the job runs all the same, and the next reminder tick tries again.
    /// </summary>
    private async Task AddToIndexAsync()
    {
        if (Job.IndexKey is not null) return;
        try
        {
            var entry = new JobIndexEntry(Id, Job.ModelId!, Job.Client, Job.CreatedAt, Job.State);
            var day = JobIndex.DayOf(Job.CreatedAt);
            for (var shard = 0; ; shard++)
            {
                var key = JobIndex.Key(day, shard);
                if (!await GrainFactory.GetGrain<IJobIndexGrain>(key).Add(entry)) continue;
                Job.IndexKey = key;
                break;
            }
            await PersistAsync();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogIndexAddFailed(_logger, e, Id);
        }
    }

    /// <summary>Tells the index the job's state (on a change of state only); the listing reads progress from the job itself.</summary>
    private async Task UpdateIndexAsync()
    {
        if (Job.IndexKey is not { } key) return;
        try
        {
            await GrainFactory.GetGrain<IJobIndexGrain>(key).Update(Id, Job.State);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogIndexUpdateFailed(_logger, e, Id, Job.State);
        }
    }

    private void ScheduleRun()
    {
        if (_timer is not null || _run is not null) return;
        _timer = this.RegisterGrainTimer(RunAsync, new GrainTimerCreationOptions
        {
            DueTime = _options.StartDelay,
            Period = Timeout.InfiniteTimeSpan,
            Interleave = true,
            KeepAlive = true,
        });
    }

    /// <summary>Runs the job on a model replica until it ends, is cancelled or this activation goes.</summary>
    private async Task RunAsync(CancellationToken timerToken)
    {
        if (_run is not null || !Job.Submitted || Job.IsTerminal) return;
        using var scope = LogScopes.Segmentation(_logger, Id);
        using var run = new CancellationTokenSource();
        _run = run;
        // The job's activity, under the submitting request's trace: the model calls and their stages are its children.
        using var activity = InnerEyeTracing.StartWithParent(InnerEyeTracing.JobActivity, Job.TraceParent);
        activity?.SetTag("innereye.segmentation_id", Id).SetTag("innereye.model", Job.ModelId);
        DateTimeOffset? waitingSince = null;
        var waitDelay = _options.RetryDelay;
        try
        {
            while (!Job.IsTerminal)
            {
                var attempt = ++Job.Attempts;
                if (Job.State == JobState.Running)
                {
                    // A new run after a lost runner or a fault: back in the queue until the replica reports.
                    Job.State = JobState.Queued;
                    Job.Stage = null;
                    Job.Progress = 0;
                    Job.Stages.Add(new StageTime("queued", _time.GetUtcNow()));
                }
                Job.UpdatedAt = _time.GetUtcNow();
                await PersistAsync();
                if (attempt > 1) await UpdateIndexAsync();
                var job = new ModelJob(Id, attempt, Job.ModelId!, Job.Input!, $"{_options.ResultPrefix}/{Id}.dcm",
                    activity?.Id ?? Job.TraceParent);
                ModelJobResult result;
                try
                {
                    var replica = await ChooseReplicaAsync(run.Token);
                    result = await replica.Run(job, run.Token);
                }
                catch (OperationCanceledException) when (run.IsCancellationRequested)
                {
                    return;
                }
                catch (ReplicaBusyException e)
                {
                    LogBusy(_logger, Id, e.Message);
                    await Task.Delay(_options.BusyRetryDelay, run.Token);
                    continue;
                }
                catch (Exception e)
                {
                    if (Job.IsTerminal) return;
                    if (FailureClassifier.Classify(e) is { Kind: not FailureKind.Transient } failure)
                    {
                        await EndAsync(JobState.Failed, null, failure.Code, failure.Message);
                        return;
                    }
                    if (Job.State != JobState.Running)
                    {
                        // The job never reached a replica (no silo can host the model now: none with a GPU, or the
                        // one there was is lost and not yet declared dead). Wait for one; that is no fault of the job.
                        waitingSince ??= _time.GetUtcNow();
                        if (_time.GetUtcNow() - waitingSince > _options.MaxWaitForModel)
                        {
                            await EndAsync(JobState.Failed, null, FailureCodes.NoModelSilo,
                                $"No silo could run model '{Job.ModelId}' for {_options.MaxWaitForModel}; the last error: " +
                                $"{e.GetType().Name}: {e.Message}");
                            return;
                        }
                        LogWaitingForReplica(_logger, Id, Job.ModelId!, e.Message);
                        await Task.Delay(waitDelay, run.Token);
                        waitDelay = TimeSpan.FromTicks(Math.Min(waitDelay.Ticks * 2, MaxWaitDelay.Ticks));
                        continue;
                    }
                    waitingSince = null;
                    waitDelay = _options.RetryDelay;
                    Job.TransientFailures++;
                    if (Job.TransientFailures > _options.MaxTransientRetries)
                    {
                        LogTransientFaultsExhausted(_logger, e, Id, Job.TransientFailures);
                        await EndAsync(JobState.Failed, null, FailureCodes.TransientFaultsExhausted,
                            $"The job failed {Job.TransientFailures} times with transient faults; the last: {e.GetType().Name}: {e.Message}");
                        return;
                    }
                    LogTransientFault(_logger, e, Id, attempt);
                    await PersistAsync();
                    await Task.Delay(_options.RetryDelay, run.Token);
                    continue;
                }

                if (Job.IsTerminal) return; // cancelled while the replica ran: the state stays as it is
                Job.StudyHash ??= result.StudyHash;
                if (result.Result is { } artifact) await EndAsync(JobState.Completed, artifact, null, null);
                else await EndAsync(JobState.Failed, null, result.ErrorCode ?? FailureCodes.Unknown, result.ErrorDetail ?? "");
            }
        }
        catch (OperationCanceledException) when (run.IsCancellationRequested)
        {
        }
        finally
        {
            _run = null;
            _timer?.Dispose();
            _timer = null;
        }
    }

    private async Task<IModelGrain> ChooseReplicaAsync(CancellationToken ct)
    {
        var replicas = _options.Replicas;
        var index = replicas == 1 ? 0
            : await GrainFactory.GetGrain<IModelDispatcherGrain>(Job.ModelId!).ChooseReplica(replicas).WaitAsync(ct);
        return GrainFactory.GetGrain<IModelGrain>($"{Job.ModelId}/{index}");
    }

    /// <summary>Writes a terminal state once, then swaps the redrive reminder for the retention one.</summary>
    private async Task EndAsync(JobState state, ArtifactRef? result, string? code, string? detail)
    {
        if (Job.IsTerminal) return;
        var now = _time.GetUtcNow();
        Job.State = state;
        Job.Result = result;
        Job.ErrorCode = code;
        Job.ErrorDetail = detail;
        if (state == JobState.Completed)
        {
            Job.Progress = 100;
            if (Job.Origin is { } origin)
                Job.Deliveries = [.. origin.Destinations.Select(d => new DeliveryStatus(d, DeliveryState.Pending, 0, null, null, now))];
        }
        Job.Stage = null;
        Job.UpdatedAt = now;
        Job.Stages.Add(new StageTime(state.ToString().ToLowerInvariant(), now));
        await PersistAsync();
        CountEnd(state, code);
        LogEnded(_logger, Id, state, code);
        if (!KeepsUpload) await DeleteInputAsync();
        await SwitchToRetentionAsync();
        await UpdateIndexAsync();
        await StartDeliveriesAsync();
    }

    private void CountEnd(JobState state, string? code)
    {
        var model = Job.ModelId!;
        switch (state)
        {
            case JobState.Completed:
                InnerEyeMetrics.JobCompleted(model);
                break;
            case JobState.Failed:
                InnerEyeMetrics.JobFailed(model, code ?? FailureCodes.Unknown);
                Activity.Current?.SetStatus(ActivityStatusCode.Error, code);
                break;
            default:
                InnerEyeMetrics.JobCancelled(model);
                break;
        }
    }

    /// <summary>An ended job's upload stays only when it did not complete and failed uploads are kept for debugging.</summary>
    private bool KeepsUpload => Job.State != JobState.Completed && _storage.KeepFailedUploads;

    private async Task DeleteInputAsync()
    {
        if (Job.Input is not { } input || Job.InputDeleted) return;
        await _store.DeleteAsync(input);
        Job.InputDeleted = true;
        await PersistAsync();
    }

    private async Task SwitchToRetentionAsync()
    {
        var keep = KeepsUpload && !Job.InputDeleted && _storage.FailedUploadRetention < _options.RetentionPeriod
            ? _storage.FailedUploadRetention
            : _options.RetentionPeriod;
        var due = Job.UpdatedAt + keep - _time.GetUtcNow();
        if (due < TimeSpan.Zero) due = TimeSpan.Zero;
        await this.RegisterOrUpdateReminder(RetentionReminder, due, _options.RedriveInterval);
        await UnregisterAsync(RedriveReminder);
        // A reminder's first tick may come up to a period late; a retention due sooner also gets a timer in this
        // activation, while the reminder stays as the durable one.
        _retentionTimer?.Dispose();
        _retentionTimer = due < _options.RedriveInterval
            ? this.RegisterGrainTimer(_ => RetainAsync(), new GrainTimerCreationOptions
            {
                DueTime = due,
                Period = Timeout.InfiniteTimeSpan,
                Interleave = false,
                KeepAlive = true,
            })
            : null;
    }

    private async Task UnregisterAsync(string name)
    {
        if (await this.GetReminder(name) is { } reminder) await this.UnregisterReminder(reminder);
    }

    private async Task PersistAsync()
    {
        await _writeLock.WaitAsync();
        try
        {
            await _state.WriteStateAsync();
            _persistedProgress = Job.Progress;
        }
        finally
        {
            _writeLock.Release();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Segmentation {Id} hands its run back ({Reason}).")]
    private static partial void LogHandedBack(ILogger logger, string id, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Segmentation {Id}: its deliveries could not all be started; trying again.")]
    private static partial void LogDeliveriesNotStarted(ILogger logger, Exception exception, string id);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Segmentation {Id}: a delivery's status could not be read.")]
    private static partial void LogDeliveryUnread(ILogger logger, Exception exception, string id);

    [LoggerMessage(Level = LogLevel.Information, Message = "Segmentation {Id} expired; its result and state are removed.")]
    private static partial void LogExpired(ILogger logger, string id);

    [LoggerMessage(Level = LogLevel.Information, Message = "Segmentation {Id}: {Message} Asking again.")]
    private static partial void LogBusy(ILogger logger, string id, string message);

    [LoggerMessage(Level = LogLevel.Information, Message = "Segmentation {Id}: no replica of {Model} reachable ({Error}); waiting.")]
    private static partial void LogWaitingForReplica(ILogger logger, string id, string model, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Segmentation {Id} failed after {Count} transient faults.")]
    private static partial void LogTransientFaultsExhausted(ILogger logger, Exception exception, string id, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Segmentation {Id} attempt {Attempt} hit a transient fault; retrying.")]
    private static partial void LogTransientFault(ILogger logger, Exception exception, string id, int attempt);

    [LoggerMessage(Level = LogLevel.Information, Message = "Segmentation {Id} {State} {Code}.")]
    private static partial void LogEnded(ILogger logger, string id, JobState state, string? code);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Segmentation {Id} could not be added to the job index; trying again later.")]
    private static partial void LogIndexAddFailed(ILogger logger, Exception exception, string id);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Segmentation {Id}: the job index could not be told its state {State}.")]
    private static partial void LogIndexUpdateFailed(ILogger logger, Exception exception, string id, JobState state);
}
