using System.Numerics;

namespace InnerEye.Imaging.Dicom;

/// <summary>
/// New UIDs in the UUID-derived form of PS3.5 B.2: "2.25." followed by the decimal value of a random (version 4)
/// UUID read as an unsigned 128-bit integer. Such UIDs need no registered root and are at most 44 characters.
/// </summary>
public static class UidGenerator
{
    public const string Root = "2.25";

    public static string NewUid() => FromGuid(Guid.NewGuid());

    /// <summary>The UUID-derived UID of a UUID (its 16 bytes in RFC 4122 order, most significant first).</summary>
    public static string FromGuid(Guid guid)
    {
        var value = new BigInteger(guid.ToByteArray(bigEndian: true), isUnsigned: true, isBigEndian: true);
        return Root + "." + value.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Whether a string is a well-formed UID (PS3.5 9.1): at most 64 characters, dot-separated non-empty runs of digits,
    /// none with a leading zero unless it is the single digit 0.
    /// </summary>
    public static bool IsValid(string? uid)
    {
        if (string.IsNullOrEmpty(uid) || uid.Length > 64) return false;
        foreach (var part in uid.Split('.'))
        {
            if (part.Length == 0 || (part.Length > 1 && part[0] == '0')) return false;
            foreach (var c in part)
            {
                if (c is < '0' or > '9') return false;
            }
        }
        return true;
    }
}
