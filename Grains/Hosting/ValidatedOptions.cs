using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace InnerEye.Grains.Hosting;

/// <summary>
/// The one way settings are read: a configuration section bound onto its options class and checked by the class's
/// validator when the host starts, so that a bad value stops the process with a message naming the setting.
/// </summary>
public static class ValidatedOptions
{
    /// <summary>
    /// Binds <paramref name="section"/> onto <typeparamref name="TOptions"/>, validated at start by <typeparamref name="TValidator"/>.
    /// </summary>
    public static OptionsBuilder<TOptions> AddValidatedOptions<TOptions, TValidator>(this IServiceCollection services, string section,
        bool errorOnUnknownConfiguration = false)
        where TOptions : class
        where TValidator : class, IValidateOptions<TOptions>
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TOptions>, TValidator>());
        return services.AddOptions<TOptions>()
            .BindConfiguration(section, o => o.ErrorOnUnknownConfiguration = errorOnUnknownConfiguration)
            .ValidateOnStart();
    }

    /// <summary>
    /// The same binding and validation, for the few settings that shape the host itself (cluster mode, silo role, where
    /// state and models live) and so are needed before the service container exists.
    /// </summary>
    public static TOptions ReadValidated<TOptions>(this IConfiguration configuration, string section, IValidateOptions<TOptions> validator,
        bool errorOnUnknownConfiguration = false)
        where TOptions : class, new()
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(validator);
        var options = new TOptions();
        configuration.GetSection(section).Bind(options, o => o.ErrorOnUnknownConfiguration = errorOnUnknownConfiguration);
        return Check(options, validator);
    }

    /// <summary>Throws <see cref="OptionsValidationException"/> with every failure when <paramref name="options"/> are not valid.</summary>
    public static TOptions Check<TOptions>(TOptions options, IValidateOptions<TOptions> validator)
        where TOptions : class
    {
        ArgumentNullException.ThrowIfNull(validator);
        var result = validator.Validate(Options.DefaultName, options);
        if (result.Failed) throw new OptionsValidationException(Options.DefaultName, typeof(TOptions), result.Failures ?? [result.FailureMessage]);
        return options;
    }

    /// <summary>The validation result of a list of problems, each naming its setting.</summary>
    public static ValidateOptionsResult Result(IEnumerable<string> problems) =>
        problems.ToList() is { Count: > 0 } list ? ValidateOptionsResult.Fail(list) : ValidateOptionsResult.Success;
}
