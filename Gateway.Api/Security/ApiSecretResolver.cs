using System.Security.Cryptography;
using InnerEye.Gateway.Api.Hosting;

namespace InnerEye.Gateway.Api.Security;

/// <summary>
/// Finds the API secret: <see cref="ApiOptions.AuthSecret"/> (<c>Api:AuthSecret</c>), else the connection string
/// <c>API_AUTH_SECRET</c>, which is how configuration reads <c>CUSTOMCONNSTR_API_AUTH_SECRET</c> (the name the InnerEye
/// gateway's deployments use). Both are read from configuration only, so every source (files, environment, command
/// line) can give either. With none,
/// the embedded service in the Development environment generates one, keeps it in its data folder and prints it
/// once; anywhere else the service refuses to start.
/// </summary>
public static class ApiSecretResolver
{
    public const string GeneratedFileName = "api-secret";

    public static string Resolve(IConfiguration configuration, IHostEnvironment environment, bool embedded, string dataPath, TextWriter console)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(environment);
        if (configuration.GetSection(ApiOptions.Section).Get<ApiOptions>()?.AuthSecret is { Length: > 0 } configured) return configured;
        if (configuration.GetConnectionString(ApiSecret.HeaderName) is { Length: > 0 } connection) return connection;
        if (!embedded || !environment.IsDevelopment())
        {
            throw new InvalidOperationException(
                "No API secret is configured. Set Api__AuthSecret or CUSTOMCONNSTR_API_AUTH_SECRET; only the embedded service " +
                "in the Development environment generates one.");
        }

        var file = Path.Combine(dataPath, GeneratedFileName);
        if (File.Exists(file) && File.ReadAllText(file).Trim() is { Length: > 0 } kept)
        {
            console.WriteLine($"API_AUTH_SECRET: using the generated secret kept in {file}.");
            return kept;
        }
        Directory.CreateDirectory(dataPath);
        var secret = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        File.WriteAllText(file, secret);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        console.WriteLine($"API_AUTH_SECRET (generated for this Development service, kept in {file}): {secret}");
        return secret;
    }
}
