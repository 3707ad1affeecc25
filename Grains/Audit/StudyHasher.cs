using System.Security.Cryptography;
using System.Text;
using InnerEye.Grains.Storage;

namespace InnerEye.Grains.Audit;

/// <summary>
/// A keyed hash of a StudyInstanceUID for the audit trail: HMAC-SHA256, the first 16 bytes as 32 lower-case hex digits.
/// The same study gives the same hash in every process that shares the key, and the UID cannot be recovered or
/// confirmed without the key.
/// </summary>
public sealed class StudyHasher
{
    public const string KeyFileName = ".hash-key";
    private readonly byte[] _key;

    public StudyHasher(byte[] key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.Length < 16) throw new ArgumentException("The study hash key needs at least 16 bytes.", nameof(key));
        _key = key;
    }

    public string Hash(string studyInstanceUid)
    {
        ArgumentNullException.ThrowIfNull(studyInstanceUid);
        var mac = HMACSHA256.HashData(_key, Encoding.ASCII.GetBytes(studyInstanceUid.Trim().TrimEnd('\0')));
        return Convert.ToHexStringLower(mac.AsSpan(0, 16));
    }

    public string? HashOrNull(string? studyInstanceUid) => string.IsNullOrWhiteSpace(studyInstanceUid) ? null : Hash(studyInstanceUid);

    /// <summary>
    /// The configured key (<c>Audit:HashKey</c>), else the one kept in <c>&lt;folder&gt;/.hash-key</c>, generated once
    /// (32 random bytes, file mode of the storage settings) by whichever process comes first: it is written to a
    /// temporary file and moved into place without overwriting, so processes sharing the folder all end with one key.
    /// </summary>
    public static StudyHasher Load(string? configuredKey, string folder, StoragePermissions permissions)
    {
        ArgumentNullException.ThrowIfNull(permissions);
        if (!string.IsNullOrEmpty(configuredKey)) return new StudyHasher(Encoding.UTF8.GetBytes(configuredKey));
        var path = Path.Combine(folder, KeyFileName);
        if (!File.Exists(path))
        {
            permissions.EnsureFolder(folder);
            var temp = Path.Combine(folder, $"{KeyFileName}.{Guid.NewGuid():N}.partial");
            var key = Encoding.ASCII.GetBytes(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)));
            using (var file = permissions.CreateNew(temp)) file.Write(key);
            try
            {
                File.Move(temp, path, overwrite: false);
            }
            catch (IOException) when (File.Exists(path))
            {
                File.Delete(temp); // another process made the key first
            }
        }
        var text = File.ReadAllText(path).Trim();
        return text.Length >= 32 ? new StudyHasher(Convert.FromHexString(text))
            : throw new InvalidOperationException($"The study hash key file {path} is damaged; set Audit:HashKey or remove the file.");
    }
}
