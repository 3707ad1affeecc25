using Microsoft.Extensions.Configuration.Json;

namespace InnerEye.Gateway.Api.Hosting;

/// <summary>
/// The program's own <c>appsettings.json</c> (and <c>appsettings.{Environment}.json</c>) beside its assembly, read
/// before everything else, so a published server started from another folder still has its settings. The order, last
/// wins: the application folder's files, the working directory's (the content root), environment variables, the
/// command line.
/// </summary>
public static class AppFolderConfiguration
{
    public static IConfigurationBuilder AddAppFolderSettings(this IConfigurationBuilder configuration, string appFolder, string contentRoot,
        string environmentName)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        if (SameFolder(appFolder, contentRoot)) return configuration;
        configuration.Sources.Insert(0, Json(Path.Combine(appFolder, "appsettings.json")));
        configuration.Sources.Insert(1, Json(Path.Combine(appFolder, $"appsettings.{environmentName}.json")));
        return configuration;
    }

    private static JsonConfigurationSource Json(string path)
    {
        // Reloaded on change, as the working directory's files are: named API keys rotate without a restart.
        var source = new JsonConfigurationSource { Path = path, Optional = true, ReloadOnChange = true };
        source.ResolveFileProvider();
        return source;
    }

    private static bool SameFolder(string a, string b) =>
        string.Equals(Path.TrimEndingDirectorySeparator(Path.GetFullPath(a)), Path.TrimEndingDirectorySeparator(Path.GetFullPath(b)),
            OperatingSystem.IsWindows() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal);
}
