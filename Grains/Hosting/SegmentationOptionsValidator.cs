using Microsoft.Extensions.Options;
using Orleans.Configuration;

namespace InnerEye.Grains.Hosting;

/// <summary>
/// Refuses a start with <c>Segmentation</c> settings out of range, naming each setting. The redrive interval is a
/// reminder period, so it may not be shorter than the reminder service's minimum (1 minute unless lowered).
/// </summary>
public sealed class SegmentationOptionsValidator(IOptions<ReminderOptions> reminders) : IValidateOptions<SegmentationOptions>
{
    public const int MaxReplicas = 1024;

    public ValidateOptionsResult Validate(string? name, SegmentationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return ValidatedOptions.Result(Problems(options, reminders.Value.MinimumReminderPeriod));
    }

    private static IEnumerable<string> Problems(SegmentationOptions o, TimeSpan minimumReminderPeriod)
    {
        const string s = "Segmentation";
        if (o.Replicas is < 1 or > MaxReplicas) yield return $"{s}:Replicas is {o.Replicas}; expected 1 to {MaxReplicas}.";
        if (o.MaxTransientRetries < 0) yield return $"{s}:MaxTransientRetries is {o.MaxTransientRetries}; expected 0 or more.";
        if (o.RetryDelay < TimeSpan.Zero) yield return $"{s}:RetryDelay is {o.RetryDelay}; expected 00:00:00 or more.";
        if (o.StartDelay < TimeSpan.Zero) yield return $"{s}:StartDelay is {o.StartDelay}; expected 00:00:00 or more.";
        if (o.BusyRetryDelay <= TimeSpan.Zero) yield return $"{s}:BusyRetryDelay is {o.BusyRetryDelay}; expected more than 00:00:00.";
        if (o.MaxWaitForModel <= TimeSpan.Zero) yield return $"{s}:MaxWaitForModel is {o.MaxWaitForModel}; expected more than 00:00:00.";
        if (o.RetentionPeriod <= TimeSpan.Zero) yield return $"{s}:RetentionPeriod is {o.RetentionPeriod}; expected more than 00:00:00.";
        if (o.RedriveInterval < minimumReminderPeriod)
            yield return $"{s}:RedriveInterval is {o.RedriveInterval}; expected {minimumReminderPeriod} (the reminders' minimum period) or more.";
        if (string.IsNullOrWhiteSpace(o.ResultPrefix)) yield return $"{s}:ResultPrefix is empty; expected a folder name such as 'results'.";
    }
}
