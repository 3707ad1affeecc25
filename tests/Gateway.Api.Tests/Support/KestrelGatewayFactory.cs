using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace InnerEye.Gateway.Api.Tests.Support;

/// <summary>Gateway.Api on a real Kestrel socket on a free loopback port, for what only shows on a real connection.</summary>
public class KestrelGatewayFactory : GatewayFactory
{
    public KestrelGatewayFactory(IReadOnlyDictionary<string, string?>? overrides = null)
        : base(WithLoopbackUrl(overrides)) => UseKestrel();

    /// <summary>The listening address; starts the server on first use.</summary>
    public Uri Address
    {
        get
        {
            StartServer();
            var addresses = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
            return new Uri(addresses.First());
        }
    }

    public HttpClient AuthorizedSocketClient()
    {
        var client = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Add("API_AUTH_SECRET", Secret);
        return client;
    }

    private static Dictionary<string, string?> WithLoopbackUrl(IReadOnlyDictionary<string, string?>? overrides)
    {
        var settings = new Dictionary<string, string?> { ["urls"] = "http://127.0.0.1:0" };
        foreach (var (k, v) in overrides ?? new Dictionary<string, string?>()) settings[k] = v;
        return settings;
    }
}
