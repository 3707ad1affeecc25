using System.Globalization;

namespace InnerEye.Gateway.Api.Tests.Adversarial;

/// <summary>A process's resident set (VmRSS of /proc/&lt;pid&gt;/status).</summary>
public static class ProcessMemory
{
    public static long ResidentBytes(int pid)
    {
        var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        var kilobytes = line["VmRSS:".Length..].Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries)[0];
        return long.Parse(kilobytes, CultureInfo.InvariantCulture) * 1024;
    }

    public static string Megabytes(long bytes) => $"{bytes / (1024.0 * 1024):0} MB";
}
