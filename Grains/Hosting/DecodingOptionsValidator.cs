using Microsoft.Extensions.Options;

namespace InnerEye.Grains.Hosting;

/// <summary>Fails the start with every problem of the <c>Decoding</c> section, each naming its setting.</summary>
internal sealed class DecodingOptionsValidator : IValidateOptions<DecodingOptions>
{
    public ValidateOptionsResult Validate(string? name, DecodingOptions options) =>
        options.Validate().ToList() is { Count: > 0 } problems ? ValidateOptionsResult.Fail(problems) : ValidateOptionsResult.Success;
}
