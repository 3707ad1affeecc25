using InnerEye.Gateway.Api.Hosting;
using InnerEye.Imaging.Tests.Support;
using Microsoft.Extensions.Configuration;

namespace InnerEye.Gateway.Api.Tests;

public sealed class AppFolderConfigurationTests
{
    [SkippableFact]
    public void TheAppFoldersSettingsComeFirstThenTheWorkingDirectorysThenTheEnvironmentThenTheCommandLine()
    {
        using var dir = new TempDirectory();
        var app = Directory.CreateDirectory(dir.NewPath("app")).FullName;
        var work = Directory.CreateDirectory(dir.NewPath("work")).FullName;
        File.WriteAllText(Path.Combine(app, "appsettings.json"), """{"Only":{"App":"app"},"Both":"app","Env":"app","Cli":"app"}""");
        File.WriteAllText(Path.Combine(app, "appsettings.Staging.json"), """{"Only":{"AppStaging":"app-staging"}}""");
        File.WriteAllText(Path.Combine(work, "appsettings.json"), """{"Both":"work","Env":"work","Cli":"work"}""");

        // As WebApplication.CreateBuilder lays out the sources: content root files, environment, command line.
        var configuration = new ConfigurationManager();
        configuration.AddJsonFile(Path.Combine(work, "appsettings.json"), optional: true);
        configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Env"] = "env", ["Cli"] = "env" });
        configuration.AddCommandLine(["--Cli=cli"]);
        configuration.AddAppFolderSettings(app, work, "Staging");

        Assert.Equal("app", configuration["Only:App"]);
        Assert.Equal("app-staging", configuration["Only:AppStaging"]);
        Assert.Equal("work", configuration["Both"]);
        Assert.Equal("env", configuration["Env"]);
        Assert.Equal("cli", configuration["Cli"]);
    }

    [SkippableFact]
    public void RunFromTheAppFolderItsFilesAreNotAddedTwice()
    {
        using var dir = new TempDirectory();
        var configuration = new ConfigurationManager();
        var before = configuration.Sources.Count;
        configuration.AddAppFolderSettings(dir.Path, dir.Path + Path.DirectorySeparatorChar, "Production");
        Assert.Equal(before, configuration.Sources.Count);
    }
}
