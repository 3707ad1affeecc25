using InnerEye.Imaging.Tests.Support;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace InnerEye.Gateway.Api.Tests.Support;

/// <summary>
/// Gateway.Api in process (TestServer) with its embedded silo on free loopback ports, state and artifacts in a
/// temporary folder, the repository's models on the CPU, and the secret <see cref="Secret"/>.
/// </summary>
public class GatewayFactory : WebApplicationFactory<Program>
{
    public const string Secret = "contract-test-secret";

    private readonly TempDirectory _dir = new();
    private readonly Dictionary<string, string?> _settings;

    public GatewayFactory(IReadOnlyDictionary<string, string?>? overrides = null)
    {
        _settings = new Dictionary<string, string?>
        {
            ["Storage:Path"] = _dir.Path,
            ["Models:Path"] = Phantoms.RepositoryModels,
            ["Cluster:SiloPort"] = FreePorts.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Cluster:GatewayPort"] = FreePorts.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Api:AuthSecret"] = Secret,
            ["Inference:Device"] = "Cpu",
            ["Inference:IntraOpThreads"] = "1",
            ["Segmentation:StartDelay"] = "00:00:00.050",
            ["Logging:LogLevel:Default"] = "Warning",
            // Many gateways run at once: none listens on the default metrics port (a test that scrapes gives a free one).
            ["Metrics:Port"] = "0",
        };
        foreach (var (k, v) in overrides ?? new Dictionary<string, string?>()) _settings[k] = v;
    }

    public string DataPath => _dir.Path;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Production");
        foreach (var (key, value) in _settings) builder.UseSetting(key, value);
    }

    public HttpClient Authorized()
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Add("API_AUTH_SECRET", Secret);
        return client;
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        _dir.Dispose();
        GC.SuppressFinalize(this);
    }
}
