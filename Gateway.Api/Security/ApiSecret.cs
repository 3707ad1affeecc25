using System.Security.Cryptography;
using System.Text;

namespace InnerEye.Gateway.Api.Security;

/// <summary>The shared secret callers send in the <c>API_AUTH_SECRET</c> header, compared in constant time.</summary>
public sealed class ApiSecret
{
    public const string HeaderName = "API_AUTH_SECRET";

    private readonly byte[] _hash;

    /// <summary>The SHA-256 of the secret (what constant-time comparisons compare).</summary>
    public byte[] Hash => (byte[])_hash.Clone();

    public ApiSecret(string secret)
    {
        ArgumentException.ThrowIfNullOrEmpty(secret);
        _hash = SHA256.HashData(Encoding.UTF8.GetBytes(secret));
    }

    /// <summary>Hashing both sides first makes the comparison independent of where, and whether, the lengths differ.</summary>
    public bool Matches(string? candidate)
    {
        if (candidate is null) return false;
        return CryptographicOperations.FixedTimeEquals(_hash, SHA256.HashData(Encoding.UTF8.GetBytes(candidate)));
    }
}
