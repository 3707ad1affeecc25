namespace InnerEye.Imaging.Series;

public enum ProblemSeverity
{
    /// <summary>Something was skipped or tolerated; the channel is still usable.</summary>
    Warning,

    /// <summary>The channel has no usable volume.</summary>
    Error,
}

/// <summary>Something wrong with an upload, said so that a person can act on it.</summary>
public sealed record VolumeProblem(string Channel, string Code, string Message, ProblemSeverity Severity = ProblemSeverity.Error);
