using InnerEye.Gateway.Api.Security;
using InnerEye.Imaging.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;

namespace InnerEye.Gateway.Api.Tests;

public sealed class ApiSecretResolverTests
{
    private sealed class Env(string name) : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = name;
        public string ApplicationName { get; set; } = "test";
        public string ContentRootPath { get; set; } = "/";
        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
    }

    private static IConfiguration Config(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();

    [SkippableFact]
    public void ConfigurationAndTheGatewaysConnectionStringNameAreRead()
    {
        using var dir = new TempDirectory();
        Assert.Equal("a", ApiSecretResolver.Resolve(Config(("Api:AuthSecret", "a")), new Env("Production"), false, dir.Path, TextWriter.Null));
        // CUSTOMCONNSTR_API_AUTH_SECRET reaches configuration as this connection string.
        Assert.Equal("b", ApiSecretResolver.Resolve(Config(("ConnectionStrings:API_AUTH_SECRET", "b")), new Env("Production"), false, dir.Path,
            TextWriter.Null));
    }

    [SkippableTheory]
    [InlineData("Production", true)]
    [InlineData("Development", false)]
    public void WithoutASecretTheServiceRefusesToStartOutsideEmbeddedDevelopment(string environment, bool embedded)
    {
        using var dir = new TempDirectory();
        var e = Assert.Throws<InvalidOperationException>(() =>
            ApiSecretResolver.Resolve(Config(), new Env(environment), embedded, dir.Path, TextWriter.Null));
        Assert.Contains("CUSTOMCONNSTR_API_AUTH_SECRET", e.Message);
    }

    [SkippableFact]
    public void EmbeddedDevelopmentGeneratesASecretPrintsItOnceAndKeepsIt()
    {
        using var dir = new TempDirectory();
        var first = new StringWriter();
        var secret = ApiSecretResolver.Resolve(Config(), new Env("Development"), true, dir.Path, first);
        Assert.True(secret.Length >= 32);
        Assert.Contains(secret, first.ToString());
        var second = new StringWriter();
        Assert.Equal(secret, ApiSecretResolver.Resolve(Config(), new Env("Development"), true, dir.Path, second));
        Assert.DoesNotContain(secret, second.ToString());
        if (!OperatingSystem.IsWindows())
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(dir.Path,
                ApiSecretResolver.GeneratedFileName)));
    }
}
