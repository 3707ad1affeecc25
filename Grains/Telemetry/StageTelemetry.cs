using System.Diagnostics;
using InnerEye.Inference;

namespace InnerEye.Grains.Telemetry;

/// <summary>
/// Watches a job's progress reports and turns each stage (from its first report until it reaches 100 or the next
/// stage begins) into an activity under the job's <paramref name="parent"/> and a sample of the stage-duration
/// histogram. Reports come from the pipeline's worker threads, so each stage's activity is made once the stage has
/// ended, with its own start and end times, leaving the reporting thread's current activity as it was.
/// </summary>
internal sealed class StageTelemetry(IProgress<PipelineProgress> inner, string model, ActivityContext parent, TimeProvider time)
    : IProgress<PipelineProgress>
{
    private readonly Lock _lock = new();
    private string? _stage;
    private string? _ended;
    private DateTimeOffset _startedAt;

    public void Report(PipelineProgress value)
    {
        lock (_lock)
        {
            if (value.Stage != _stage && value.Stage != _ended)
            {
                EndStage(null);
                _stage = value.Stage;
                _startedAt = time.GetUtcNow();
            }
            if (value.Percent >= 100) EndStage(null);
        }
        inner.Report(value);
    }

    /// <summary>Records a stage that ran outside the pipeline (writing the result) the same way.</summary>
    public void Record(string stage, DateTimeOffset startedAt, string? error = null) =>
        Emit(stage, startedAt, time.GetUtcNow(), error);

    /// <summary>Ends the stage under way, if any, as failed with <paramref name="error"/> (the run ended inside it).</summary>
    public void Fail(string error)
    {
        lock (_lock) EndStage(error);
    }

    private void EndStage(string? error)
    {
        if (_stage is not { } stage) return;
        _stage = null;
        _ended = stage;
        Emit(stage, _startedAt, time.GetUtcNow(), error);
    }

    private void Emit(string stage, DateTimeOffset start, DateTimeOffset end, string? error)
    {
        if (error is null) InnerEyeMetrics.StageTime(model, stage, end - start);
        var previous = Activity.Current;
        using (var activity = InnerEyeTracing.Source.StartActivity(stage, ActivityKind.Internal, parent, startTime: start))
        {
            if (activity is not null)
            {
                activity.SetTag("innereye.model", model);
                if (error is not null) activity.SetStatus(ActivityStatusCode.Error, error);
                activity.SetEndTime(end.UtcDateTime);
            }
        }
        Activity.Current = previous;
    }
}
