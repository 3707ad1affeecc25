namespace InnerEye.Imaging.Series;

/// <summary>Every channel that loaded, and every problem found on the way.</summary>
public sealed record SeriesLoadResult(IReadOnlyList<LoadedSeries> Channels, IReadOnlyList<VolumeProblem> Problems)
{
    public bool HasErrors => Problems.Any(p => p.Severity == ProblemSeverity.Error);

    public LoadedSeries? Channel(string name) => Channels.FirstOrDefault(c => c.Channel == name);

    /// <summary>Throws <see cref="SeriesValidationException"/> naming every error when any channel is unusable.</summary>
    public SeriesLoadResult ThrowIfInvalid()
    {
        if (HasErrors) throw new SeriesValidationException(Problems.Where(p => p.Severity == ProblemSeverity.Error).ToList());
        return this;
    }
}

public sealed class SeriesValidationException(IReadOnlyList<VolumeProblem> problems)
    : ImagingException(problems[0].Code, string.Join(" ", problems.Select(p => (p.Channel.Length > 0 ? $"[{p.Channel}] " : "") + p.Message)))
{
    public IReadOnlyList<VolumeProblem> Problems { get; } = problems;
}
