using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using InnerEye.Imaging.Series;

// One measurement per process, so that peak memory belongs to that measurement alone.
// usage: imaging-bench load PATH [repeats] | imaging-bench inflate ZIP [repeats] | imaging-bench seg FOLDER [repeats]
// Prints one line: mode, best seconds of the repeats, pixel MB, MB/s, peak RSS growth during the first run (MB), volume MB.
// seg prints one line per writer (RT Structure Set, SEG BINARY, SEG label map): best seconds, file bytes, deflated bytes.
var mode = args[0];
var path = args[1];
var repeats = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 3;
if (mode == "seg")
{
    SegBench.Run(path, repeats);
    return;
}
var startRss = Memory.PeakRssBytes();
var best = double.MaxValue;
var peak = 0.0;
double pixelBytes = 0, volumeBytes = 0;
for (var r = 0; r < repeats; r++)
{
    var watch = Stopwatch.StartNew();
    if (mode == "load")
    {
        var result = VolumeLoader.Load(path).ThrowIfInvalid();
        watch.Stop();
        var v = result.Channels[0].Volume;
        pixelBytes = v.VoxelCount * 2.0;
        volumeBytes = v.VoxelCount * 4.0;
    }
    else
    {
        pixelBytes = Inflate.All(path);
        watch.Stop();
    }
    best = Math.Min(best, watch.Elapsed.TotalSeconds);
    // Later runs reuse memory the GC kept committed, so only the first run's high-water mark is the load's own.
    if (r == 0) peak = (Memory.PeakRssBytes() - startRss) / 1e6;
    GC.Collect();
}
Console.WriteLine(FormattableString.Invariant($"{mode} seconds={best:0.0000} pixelMB={pixelBytes / 1e6:0.0} MBps={pixelBytes / 1e6 / best:0.0} peakGrowthMB={peak:0.0} volumeMB={volumeBytes / 1e6:0.0}"));

internal static class Inflate
{
    /// <summary>The baseline: .NET inflating every entry with all cores, as the loader reads them, and nothing else.</summary>
    public static double All(string zip)
    {
        int count;
        using (var archive = ZipFile.OpenRead(zip)) count = archive.Entries.Count;
        var workers = Environment.ProcessorCount;
        long total = 0;
        Parallel.For(0, workers, w =>
        {
            using var archive = ZipFile.OpenRead(zip);
            long bytes = 0;
            for (var i = count * w / workers; i < count * (w + 1) / workers; i++)
            {
                var entry = archive.Entries[i];
                var buffer = new byte[entry.Length];
                using var s = entry.Open();
                s.ReadExactly(buffer);
                bytes += buffer.Length;
            }
            Interlocked.Add(ref total, bytes);
        });
        return total;
    }
}

internal static class Memory
{
    public static long PeakRssBytes()
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
        }
        return 0;
    }
}
