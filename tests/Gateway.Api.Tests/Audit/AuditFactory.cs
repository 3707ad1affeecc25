using InnerEye.Gateway.Api.Tests.Support;

namespace InnerEye.Gateway.Api.Tests.Audit;

/// <summary>The embedded service with two named keys beside the secret; each stage pauses briefly so a poll sees a job running.</summary>
public sealed class AuditFactory() : GatewayFactory(new Dictionary<string, string?>
{
    ["Api:Keys:alice"] = AliceKey,
    ["Api:Keys:bob"] = BobKey,
    ["ModelGrain:StagePause"] = "00:00:00.200",
})
{
    public const string AliceKey = "alice-key-0123456789abcdef";
    public const string BobKey = "bob-key-0123456789abcdef0123";

    public HttpClient As(string key)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Add("API_AUTH_SECRET", key);
        return client;
    }
}
