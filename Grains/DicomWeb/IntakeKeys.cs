using System.Security.Cryptography;
using System.Text;

namespace InnerEye.Grains.DicomWeb;

/// <summary>
/// Where DICOMweb intake keeps its files. UIDs are opaque strings sent by the client, so a store key holds a hash of
/// one, never the UID itself; so does an intake grain's key (<see cref="Grain"/>), since the runtime names grains in its
/// own log lines.
/// </summary>
public static class IntakeKeys
{
    public const string Prefix = "dicomweb";

    /// <summary>Instances as a STOW-RS request streams them in, before their series takes them.</summary>
    public static string Incoming() => $"{Prefix}/incoming/{Guid.NewGuid():N}.dcm";

    public static string SeriesFolder(string seriesInstanceUid) => $"{Prefix}/series/{Hash(seriesInstanceUid)}";

    public static string Instance(string seriesInstanceUid, string sopInstanceUid) =>
        $"{SeriesFolder(seriesInstanceUid)}/{Hash(sopInstanceUid)}.dcm";

    /// <summary>The key of the series or study intake grain of a UID.</summary>
    public static string Grain(string uid) => Hash(uid);

    /// <summary>The first 128 bits of the SHA-256 of the UTF-8 text, as lower-case hex.</summary>
    public static string Hash(string text) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text ?? throw new ArgumentNullException(nameof(text)))))[..32];
}
