using System.Globalization;

namespace InnerEye.Gateway.Api.Tests.Adversarial;

/// <summary>A process's resident set now (VmRSS of /proc/&lt;pid&gt;/status) and at its peak (VmHWM).</summary>
public static class ProcessMemory
{
    public static long ResidentBytes(int pid) => Field(pid, "VmRSS:");

    public static long PeakResidentBytes(int pid) => Field(pid, "VmHWM:");

    private static long Field(int pid, string name)
    {
        var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith(name, StringComparison.Ordinal));
        var kilobytes = line[name.Length..].Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries)[0];
        return long.Parse(kilobytes, CultureInfo.InvariantCulture) * 1024;
    }

    public static string Megabytes(long bytes) => $"{bytes / (1024.0 * 1024):0} MB";
}
