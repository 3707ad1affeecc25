using Microsoft.Extensions.Options;

namespace InnerEye.Grains.Hosting;

/// <summary>Refuses a start whose <c>Silo:Role</c> is not one of the roles.</summary>
public sealed class SiloRoleOptionsValidator : IValidateOptions<SiloRoleOptions>
{
    public ValidateOptionsResult Validate(string? name, SiloRoleOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return Enum.IsDefined(options.Role) ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"Silo:Role is '{options.Role}'; expected all, gpu or cpu.");
    }
}
