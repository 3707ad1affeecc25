using System.Net;
using System.Text.Json;
using InnerEye.Gateway.Api.Security;
using InnerEye.Gateway.Api.Tests.Support;
using InnerEye.Imaging.Tests.Support;

namespace InnerEye.Gateway.Api.Tests;

/// <summary>Named API keys beside the secret, rotated in the settings file of a running server without a restart.</summary>
[Trait("Category", "EndToEnd")]
public sealed class NamedKeyTests
{
    [SkippableFact]
    public async Task AKeyAddedToTheSettingsWorksAndOneRemovedStops_WithoutARestart()
    {
        using var dir = new TempDirectory();
        var work = Directory.CreateDirectory(dir.NewPath("work")).FullName;
        var settings = Path.Combine(work, "appsettings.json");
        var secret = $"the-secret-{Guid.NewGuid():N}";
        var alice = $"alice-key-{Guid.NewGuid():N}";
        var bob = $"bob-key-{Guid.NewGuid():N}";
        await WriteAsync(settings, secret, new Dictionary<string, string> { ["alice"] = alice });
        await using var server = await ServerProcess.StartAsync(FreePorts.Next(), dir.Combine("data"), new Dictionary<string, string>(), work);
        using var client = new HttpClient { BaseAddress = server.Address };

        Assert.Equal(HttpStatusCode.OK, await PingAsync(client, alice));
        Assert.Equal(HttpStatusCode.OK, await PingAsync(client, secret));
        Assert.Equal(HttpStatusCode.Forbidden, await PingAsync(client, bob));
        Assert.Equal(HttpStatusCode.Unauthorized, await PingAsync(client, null));

        // Rotation: bob's key in, alice's out, in the same running process.
        await WriteAsync(settings, secret, new Dictionary<string, string> { ["bob"] = bob });
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (await PingAsync(client, bob) != HttpStatusCode.OK && DateTime.UtcNow < deadline) await Task.Delay(250);
        Assert.True(await PingAsync(client, bob) == HttpStatusCode.OK, $"the added key was not taken\n{server.Output}");
        Assert.Equal(HttpStatusCode.Forbidden, await PingAsync(client, alice));
        Assert.Equal(HttpStatusCode.OK, await PingAsync(client, secret));
        Assert.Contains("API keys re-read", server.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void ATooShortKeyOrOneNamedDefaultStopsTheStart()
    {
        var options = new Hosting.ApiOptions { Keys = { ["carol"] = "short" } };
        var monitor = new StaticMonitor(options);
        var e = Assert.Throws<InvalidOperationException>(() => new ApiKeyRing(new ApiSecret("s"), monitor,
            Microsoft.Extensions.Logging.Abstractions.NullLogger<ApiKeyRing>.Instance));
        Assert.Contains("Api:Keys:carol must be a secret of at least 16 characters", e.Message, StringComparison.Ordinal);
        options.Keys = new Dictionary<string, string> { ["default"] = new string('k', 20) };
        Assert.Contains("Api:Keys:default", Assert.Throws<InvalidOperationException>(() => new ApiKeyRing(new ApiSecret("s"), monitor,
            Microsoft.Extensions.Logging.Abstractions.NullLogger<ApiKeyRing>.Instance)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EachKeyNamesItsClientAndTheSecretIsDefault()
    {
        var options = new Hosting.ApiOptions { Keys = { ["alice"] = new string('a', 16), ["bob"] = new string('b', 40) } };
        using var ring = new ApiKeyRing(new ApiSecret("the secret"), new StaticMonitor(options),
            Microsoft.Extensions.Logging.Abstractions.NullLogger<ApiKeyRing>.Instance);
        Assert.Equal("alice", ring.ClientOf(new string('a', 16)));
        Assert.Equal("bob", ring.ClientOf(new string('b', 40)));
        Assert.Equal(ApiKeyRing.DefaultClient, ring.ClientOf("the secret"));
        Assert.Null(ring.ClientOf(new string('a', 15)));
        Assert.Null(ring.ClientOf(null));
    }

    private static async Task WriteAsync(string path, string secret, Dictionary<string, string> keys)
    {
        var temp = path + ".tmp";
        await File.WriteAllTextAsync(temp, JsonSerializer.Serialize(new { Api = new { AuthSecret = secret, Keys = keys } }));
        File.Move(temp, path, overwrite: true);
    }

    private static async Task<HttpStatusCode> PingAsync(HttpClient client, string? key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/ping");
        if (key is not null) request.Headers.Add(ApiSecret.HeaderName, key);
        return (await client.SendAsync(request)).StatusCode;
    }

    private sealed class StaticMonitor(Hosting.ApiOptions value) : Microsoft.Extensions.Options.IOptionsMonitor<Hosting.ApiOptions>
    {
        public Hosting.ApiOptions CurrentValue => value;

        public Hosting.ApiOptions Get(string? name) => value;

        public IDisposable? OnChange(Action<Hosting.ApiOptions, string?> listener) => null;
    }
}
