using InnerEye.Grains.Storage;
using Microsoft.Extensions.Options;

namespace InnerEye.Grains.Hosting;

/// <summary>Refuses a start with <c>Storage</c> settings out of range, naming each setting.</summary>
public sealed class StorageOptionsValidator : IValidateOptions<StorageOptions>
{
    public ValidateOptionsResult Validate(string? name, StorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return ValidatedOptions.Result(options.Validate());
    }
}
