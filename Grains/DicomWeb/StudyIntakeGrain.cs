using InnerEye.Grains.Artifacts;
using InnerEye.Grains.Telemetry;
using InnerEye.Inference;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace InnerEye.Grains.DicomWeb;

/// <summary>
/// A study's intake (keyed by its StudyInstanceUID): takes each complete, routed series, and once a rule has a series
/// for every channel of its model, starts the segmentation — its id persisted first, its input the series' instances
/// linked under <c>inputs/&lt;id&gt;/&lt;channel&gt;/</c>, then submitted with its origin. A reminder finishes a start
/// interrupted by a restart and drops series that waited for another channel longer than the unrouted retention.
/// </summary>
[JobPlacementFilter]
public sealed partial class StudyIntakeGrain : Grain, IStudyIntakeGrain, IRemindable
{
    public const string StartReminder = "start";

    private readonly IPersistentState<StudyIntakeState> _state;
    private readonly IArtifactStore _store;
    private readonly ModelCatalog _catalog;
    private readonly DicomWebOptions _options;
    private readonly TimeSpan _reminderPeriod;
    private readonly TimeProvider _time;
    private readonly ILogger<StudyIntakeGrain> _logger;

    public StudyIntakeGrain([PersistentState("study", "jobs")] IPersistentState<StudyIntakeState> state, IArtifactStore store, ModelCatalog catalog,
        IOptions<DicomWebOptions> options, IOptions<SegmentationOptions> segmentation, TimeProvider time, ILogger<StudyIntakeGrain> logger)
    {
        _state = state;
        _store = store;
        _catalog = catalog;
        _options = options.Value;
        _reminderPeriod = segmentation.Value.RedriveInterval;
        _time = time;
        _logger = logger;
    }

    private StudyIntakeState Study => _state.State;

    /// <summary>The study's UID, from its series (the key is a hash of it; before that the key was the UID itself).</summary>
    private string StudyUid => Study.StudyInstanceUid ?? this.GetPrimaryKeyString();

    public async Task SeriesComplete(CompletedSeries series, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(series);
        try
        {
            await TakeAsync(series);
        }
        catch
        {
            // The state in memory may hold what was not persisted: read it again on the next call.
            DeactivateOnIdle();
            throw;
        }
        await EnsureReminderAsync();
        await StartPendingAsync();
    }

    private async Task TakeAsync(CompletedSeries series)
    {
        if (Study.Taken.TryGetValue(series.SeriesInstanceUid, out var taken) && taken >= series.Round) return;
        Study.StudyInstanceUid ??= series.StudyInstanceUid;
        Study.Taken[series.SeriesInstanceUid] = series.Round;
        if (series.RouteIndex < 0 || series.RouteIndex >= _options.Routes.Count)
        {
            LogRuleGone(_logger, IntakeKeys.Hash(series.SeriesInstanceUid), series.RouteIndex);
            await _state.WriteStateAsync(CancellationToken.None);
            return;
        }
        var route = _options.Routes[series.RouteIndex];
        if (!Study.Waiting.TryGetValue(series.RouteIndex, out var channels))
        {
            Study.Waiting[series.RouteIndex] = channels = new Dictionary<string, CompletedSeries>(StringComparer.Ordinal);
            Study.WaitingSince[series.RouteIndex] = _time.GetUtcNow();
        }
        channels[series.Channel] = series;
        var needed = route.Channels.Count == 0 ? [""] : route.Channels.Keys.ToList();
        if (Study.LastStarted.TryGetValue(series.RouteIndex, out var last))
        {
            // A series sent again (a late instance): the other channels run with the series they last ran with.
            foreach (var channel in needed.Where(c => !channels.ContainsKey(c) && last.ContainsKey(c))) channels[channel] = last[channel];
        }
        if (needed.All(channels.ContainsKey))
        {
            Study.Waiting.Remove(series.RouteIndex);
            Study.WaitingSince.Remove(series.RouteIndex);
            if (route.Channels.Count > 0) Study.LastStarted[series.RouteIndex] = new Dictionary<string, CompletedSeries>(channels,
                StringComparer.Ordinal);
            Study.Pending.Add(new PendingStart(Guid.CreateVersion7().ToString("N"), series.RouteIndex, channels));
        }
        await _state.WriteStateAsync(CancellationToken.None);
    }

    public Task<IReadOnlyList<string>> GetSegmentations() => Task.FromResult<IReadOnlyList<string>>([.. Study.Segmentations]);

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        await StartPendingAsync();
        var cutoff = _time.GetUtcNow() - _options.UnroutedRetention;
        foreach (var (route, since) in Study.WaitingSince.Where(w => w.Value < cutoff).ToList())
        {
            LogWaitExpired(_logger, route, Study.Waiting[route].Count);
            Study.Waiting.Remove(route);
            Study.WaitingSince.Remove(route);
            await _state.WriteStateAsync(CancellationToken.None);
        }
        if (!Study.HasWork && await this.GetReminder(StartReminder) is { } reminder) await this.UnregisterReminder(reminder);
    }

    private async Task EnsureReminderAsync()
    {
        if (Study.HasWork && await this.GetReminder(StartReminder) is null)
            await this.RegisterOrUpdateReminder(StartReminder, _reminderPeriod, _reminderPeriod);
    }

    /// <summary>Starts every pending segmentation; one that fails stays pending for the next reminder tick.</summary>
    private async Task StartPendingAsync()
    {
        foreach (var pending in Study.Pending.ToList())
        {
            using var scope = LogScopes.Segmentation(_logger, pending.SegmentationId);
            try
            {
                await StartAsync(pending);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogStartFailed(_logger, e, pending.SegmentationId);
                continue;
            }
            Study.Pending.Remove(pending);
            if (!Study.Segmentations.Contains(pending.SegmentationId)) Study.Segmentations.Add(pending.SegmentationId);
            await _state.WriteStateAsync(CancellationToken.None);
        }
    }

    private async Task StartAsync(PendingStart pending)
    {
        var route = _options.Routes[pending.RouteIndex];
        var model = _catalog.Find(route.Model);
        var input = $"inputs/{pending.SegmentationId}";
        foreach (var (channel, series) in pending.SeriesByChannel)
        {
            var folder = $"{input}/{(channel.Length == 0 ? model.InputChannels[0].Id : channel)}";
            for (var i = 0; i < series.Instances.Count; i++)
            {
                var target = $"{folder}/{i:D5}.dcm";
                if (_store.Exists(new ArtifactRef(target))) continue;
                try
                {
                    await _store.LinkAsync(series.Instances[i], target);
                }
                catch (FileNotFoundException)
                {
                    // Replaced or deleted since the series was complete: the series as it is now is what runs.
                }
            }
        }
        var origin = new DicomWebOrigin(StudyUid,
            pending.SeriesByChannel.ToDictionary(c => c.Key.Length == 0 ? model.InputChannels[0].Id : c.Key, c => c.Value.SeriesInstanceUid,
                StringComparer.Ordinal),
            DicomWebRouter.NameOf(route, pending.RouteIndex), [.. route.Destinations],
            [.. route.Formats.Select(f => ResultArtifacts.TryParse(f, out var format) ? format : ResultFormat.RtStruct).Distinct()]);
        await GrainFactory.GetGrain<ISegmentationGrain>(pending.SegmentationId)
            .Submit(new SubmitSegmentation(route.Model, new ArtifactRef(input), origin));
        LogStarted(_logger, pending.SegmentationId, route.Model, origin.Rule);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Segmentation {Id} started for model {Model} by DICOMweb rule {Rule}.")]
    private static partial void LogStarted(ILogger logger, string id, string model, string rule);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Segmentation {Id} could not be started yet; trying again.")]
    private static partial void LogStartFailed(ILogger logger, Exception exception, string id);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Series {Series} was routed by rule {Index}, which the configuration no longer has; dropped.")]
    private static partial void LogRuleGone(ILogger logger, string series, int index);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Rule {Index} waited longer than the unrouted retention for its other channels; its {Count} series are dropped.")]
    private static partial void LogWaitExpired(ILogger logger, int index, int count);
}
