using Microsoft.Extensions.Options;

namespace InnerEye.Grains.Hosting;

/// <summary>Fails the start with every problem of the <c>Decoding</c> section, each naming its setting.</summary>
public sealed class DecodingOptionsValidator : IValidateOptions<DecodingOptions>
{
    public ValidateOptionsResult Validate(string? name, DecodingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return ValidatedOptions.Result(options.Validate());
    }
}
