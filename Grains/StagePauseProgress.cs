using InnerEye.Inference;

namespace InnerEye.Grains;

/// <summary>
/// Passes progress on and, at the start of each stage, holds the pipeline's thread for a fixed pause or until the
/// job is cancelled (<see cref="ModelGrainOptions.StagePause"/>: tests and demonstrations that need a job to sit in a
/// given stage).
/// </summary>
internal sealed class StagePauseProgress(IProgress<PipelineProgress> inner, TimeSpan pause, CancellationToken ct) : IProgress<PipelineProgress>
{
    public void Report(PipelineProgress value)
    {
        inner.Report(value);
        if (value.Percent == 0 && pause > TimeSpan.Zero) ct.WaitHandle.WaitOne(pause);
    }
}
