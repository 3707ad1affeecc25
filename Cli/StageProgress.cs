using System.Diagnostics;
using System.Globalization;
using InnerEye.Inference;

namespace InnerEye.Cli;

/// <summary>
/// Shows how far each stage of a job has got, on the error writer so that the output stays clean: on a terminal one bar
/// per stage, redrawn in place; otherwise (redirected) a plain line when a stage starts, at each quarter, and when it ends.
/// </summary>
public sealed class StageProgress(TextWriter writer, bool terminal) : IProgress<PipelineProgress>
{
    /// <summary>The last stage: writing the output files, reported by the command line itself.</summary>
    public const string Write = "write";

    private const int BarWidth = 30;
    private readonly Lock _lock = new();
    private readonly Stopwatch _clock = new();
    private string? _stage;
    private int _percent;

    public void Report(PipelineProgress value)
    {
        lock (_lock)
        {
            if (value.Stage != _stage)
            {
                if (_stage is not null && _percent < 100) Show(_stage, _percent, end: true);
                _stage = value.Stage;
                _percent = -1;
                _clock.Restart();
            }
            if (value.Percent <= _percent) return;
            var quarterCrossed = value.Percent / 25 > Math.Max(_percent, 0) / 25;
            var show = terminal || _percent < 0 || value.Percent == 100 || quarterCrossed;
            _percent = value.Percent;
            if (show) Show(value.Stage, value.Percent, end: value.Percent == 100);
        }
    }

    private void Show(string stage, int percent, bool end)
    {
        var seconds = _clock.Elapsed.TotalSeconds;
        if (terminal)
        {
            var filled = BarWidth * Math.Clamp(percent, 0, 100) / 100;
            writer.Write(string.Create(CultureInfo.InvariantCulture,
                $"\r{stage,-12} [{new string('#', filled)}{new string('.', BarWidth - filled)}] {percent,3}%  {seconds,7:0.0} s"));
            if (end) writer.WriteLine();
        }
        else
        {
            writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"progress: {stage} {percent}% ({seconds:0.000} s)"));
        }
        writer.Flush();
    }
}
