using System.Security.Cryptography;
using System.Text;

namespace InnerEye.Grains.Storage;

/// <summary>A file name for a grain's records: a hash of its id, since grain ids may hold any character.</summary>
internal static class GrainFileName
{
    public static string Of(GrainId grainId) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(grainId.ToString())));
}
