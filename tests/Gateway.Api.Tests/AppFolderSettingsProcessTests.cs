using System.Net;
using InnerEye.Gateway.Api.Security;
using InnerEye.Gateway.Api.Tests.Support;
using InnerEye.Imaging.Tests.Support;

namespace InnerEye.Gateway.Api.Tests;

/// <summary>The built server, started from another folder, still reads the settings file beside its program.</summary>
[Trait("Category", "EndToEnd")]
public sealed class AppFolderSettingsProcessTests
{
    private const string EnvironmentName = "AppFolderCheck";

    [SkippableFact]
    public async Task AServerStartedFromAnotherFolderTakesItsSecretFromTheSettingsBesideItsProgram()
    {
        using var dir = new TempDirectory();
        var work = Directory.CreateDirectory(dir.NewPath("elsewhere")).FullName;
        var secret = $"from-the-program-folder-{Guid.NewGuid():N}";
        // Production-like: without this file's secret the server refuses to start.
        var settings = Path.Combine(Path.GetDirectoryName(ServerProcess.ProgramPath)!, $"appsettings.{EnvironmentName}.json");
        await File.WriteAllTextAsync(settings, System.Text.Json.JsonSerializer.Serialize(new { Api = new { AuthSecret = secret } }));
        try
        {
            await using var server = await ServerProcess.StartAsync(FreePorts.Next(), dir.Combine("data"),
                new Dictionary<string, string> { ["ASPNETCORE_ENVIRONMENT"] = EnvironmentName }, work);
            using var client = new HttpClient { BaseAddress = server.Address };
            using var right = new HttpRequestMessage(HttpMethod.Get, "/api/ping") { Headers = { { ApiSecret.HeaderName, secret } } };
            Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(right)).StatusCode);
            using var wrong = new HttpRequestMessage(HttpMethod.Get, "/api/ping") { Headers = { { ApiSecret.HeaderName, "another" } } };
            Assert.Equal(HttpStatusCode.Forbidden, (await client.SendAsync(wrong)).StatusCode);
            Assert.Empty(Directory.EnumerateFileSystemEntries(work));
        }
        finally
        {
            File.Delete(settings);
        }
    }
}
