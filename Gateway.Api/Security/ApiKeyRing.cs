using System.Security.Cryptography;
using System.Text;
using InnerEye.Gateway.Api.Hosting;
using Microsoft.Extensions.Options;

namespace InnerEye.Gateway.Api.Security;

/// <summary>
/// The secrets callers may send, each naming a client: the single API secret (client <see cref="DefaultClient"/>) and
/// every <c>Api:Keys:&lt;client&gt;</c>, re-read whenever the configuration changes, so that a key is added, moved to and
/// removed without a restart. A candidate is compared with every key, in constant time, whatever matches.
/// </summary>
public sealed partial class ApiKeyRing : IDisposable
{
    public const string DefaultClient = "default";

    private readonly byte[] _defaultHash;
    private readonly IDisposable? _subscription;
    private volatile IReadOnlyList<(string Client, byte[] Hash)> _keys;

    public const int MinimumKeyLength = 16;

    /// <exception cref="InvalidOperationException">A key at start has no valid name or is too short (the process stops).</exception>
    public ApiKeyRing(ApiSecret secret, IOptionsMonitor<ApiOptions> options, ILogger<ApiKeyRing> logger)
    {
        ArgumentNullException.ThrowIfNull(secret);
        ArgumentNullException.ThrowIfNull(options);
        _defaultHash = secret.Hash;
        var problems = Problems(options.CurrentValue).ToList();
        if (problems.Count > 0) throw new InvalidOperationException(string.Join(" ", problems));
        _keys = Build(options.CurrentValue);
        _subscription = options.OnChange(o =>
        {
            // A bad key in a changed file is left out, not a reason to stop serving the others.
            foreach (var problem in Problems(o)) LogKeyIgnored(logger, problem);
            _keys = Build(o);
            LogKeysReread(logger, _keys.Count);
        });
    }

    private static IEnumerable<string> Problems(ApiOptions options)
    {
        foreach (var (client, key) in options.Keys)
        {
            if (client.Equals(DefaultClient, StringComparison.OrdinalIgnoreCase))
                yield return "Api:Keys:default is the name of Api:AuthSecret; give the key another client name.";
            else if (key is null || key.Length < MinimumKeyLength)
                yield return $"Api:Keys:{client} must be a secret of at least {MinimumKeyLength} characters.";
        }
    }

    /// <summary>The client whose key <paramref name="candidate"/> is; null when it is none.</summary>
    public string? ClientOf(string? candidate)
    {
        if (candidate is null) return null;
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(candidate));
        string? client = null;
        if (CryptographicOperations.FixedTimeEquals(_defaultHash, hash)) client = DefaultClient;
        foreach (var (name, key) in _keys)
        {
            if (CryptographicOperations.FixedTimeEquals(key, hash)) client ??= name;
        }
        return client;
    }

    public void Dispose() => _subscription?.Dispose();

    private static IReadOnlyList<(string, byte[])> Build(ApiOptions options) =>
        [.. options.Keys.Where(k => k.Value is { Length: >= MinimumKeyLength } && !k.Key.Equals(DefaultClient, StringComparison.OrdinalIgnoreCase))
            .OrderBy(k => k.Key, StringComparer.Ordinal)
            .Select(k => (k.Key, SHA256.HashData(Encoding.UTF8.GetBytes(k.Value))))];

    [LoggerMessage(Level = LogLevel.Warning, Message = "API keys: {Problem} The key is ignored.")]
    private static partial void LogKeyIgnored(ILogger logger, string problem);

    [LoggerMessage(Level = LogLevel.Information, Message = "API keys re-read: {Count} named key(s).")]
    private static partial void LogKeysReread(ILogger logger, int count);
}
