using Microsoft.Extensions.Options;

namespace InnerEye.Grains.Hosting;

/// <summary>Refuses a start without a models folder.</summary>
public sealed class ModelsOptionsValidator : IValidateOptions<ModelsOptions>
{
    public ValidateOptionsResult Validate(string? name, ModelsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.Folder() switch
        {
            null => ValidateOptionsResult.Fail("Models:Path is not set and no models/ folder with model configurations is above the working " +
                "directory or the program; set Models:Path (env Models__Path)."),
            var folder when !Directory.Exists(folder) => ValidateOptionsResult.Fail($"Models:Path is '{folder}'; expected an existing folder."),
            _ => ValidateOptionsResult.Success,
        };
    }
}
