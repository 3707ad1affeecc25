using InnerEye.Grains.Hosting;
using Microsoft.Extensions.Options;

namespace InnerEye.Grains.Audit;

/// <summary>Refuses a start with <c>Audit</c> settings that cannot work, naming each setting.</summary>
public sealed class AuditOptionsValidator : IValidateOptions<AuditOptions>
{
    public ValidateOptionsResult Validate(string? name, AuditOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return ValidatedOptions.Result(options.Validate());
    }
}
