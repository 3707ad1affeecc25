using Microsoft.Extensions.Options;

namespace InnerEye.Grains.Hosting;

/// <summary>Refuses a start with <c>ModelGrain</c> settings out of range, naming each setting.</summary>
public sealed class ModelGrainOptionsValidator : IValidateOptions<ModelGrainOptions>
{
    public ValidateOptionsResult Validate(string? name, ModelGrainOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return ValidatedOptions.Result(Problems(options));
    }

    private static IEnumerable<string> Problems(ModelGrainOptions o)
    {
        const string s = "ModelGrain";
        if (o.Capacity < 1) yield return $"{s}:Capacity is {o.Capacity}; expected 1 or more.";
        if (o.MaxQueue < 0) yield return $"{s}:MaxQueue is {o.MaxQueue}; expected 0 (no waiting jobs) or more.";
        if (o.DecodeAhead < 1) yield return $"{s}:DecodeAhead is {o.DecodeAhead}; expected 1 or more.";
        if (o.NetworkStageDelay < TimeSpan.Zero) yield return $"{s}:NetworkStageDelay is {o.NetworkStageDelay}; expected 00:00:00 or more.";
        if (o.StagePause < TimeSpan.Zero) yield return $"{s}:StagePause is {o.StagePause}; expected 00:00:00 or more.";
        string? formats = null;
        try
        {
            o.Formats();
        }
        catch (ArgumentException e)
        {
            formats = e.Message;
        }
        if (formats is not null) yield return formats;
        foreach (var problem in o.ValidatePreview()) yield return problem;
    }
}
