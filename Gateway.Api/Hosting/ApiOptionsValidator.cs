using Microsoft.Extensions.Options;

namespace InnerEye.Gateway.Api.Hosting;

/// <summary>Refuses a start with <c>Api</c> settings out of range, naming each setting.</summary>
public sealed class ApiOptionsValidator : IValidateOptions<ApiOptions>
{
    public ValidateOptionsResult Validate(string? name, ApiOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.MaxUploadBytes <= 0) failures.Add($"Api:MaxUploadBytes must be positive (is {options.MaxUploadBytes}).");
        if (options.MaxInstanceBytes <= 0) failures.Add($"Api:MaxInstanceBytes must be positive (is {options.MaxInstanceBytes}).");
        if (options.RetryAfterSeconds < 0) failures.Add($"Api:RetryAfterSeconds must not be negative (is {options.RetryAfterSeconds}).");
        if (options.UploadTimeout <= TimeSpan.Zero) failures.Add($"Api:UploadTimeout must be positive (is {options.UploadTimeout}).");
        if (options.MinUploadBytesPerSecond < 0 || !double.IsFinite(options.MinUploadBytesPerSecond))
            failures.Add($"Api:MinUploadBytesPerSecond must be 0 (off) or positive (is {options.MinUploadBytesPerSecond}).");
        if (options.DrainTimeout < TimeSpan.Zero) failures.Add($"Api:DrainTimeout must not be negative (is {options.DrainTimeout}).");
        if (options.MaxDrainBytes < 0) failures.Add($"Api:MaxDrainBytes must not be negative (is {options.MaxDrainBytes}).");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
