using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using InnerEye.Imaging.Series;

// One measurement per process, so that peak memory belongs to that measurement alone.
// usage: imaging-bench load PATH [repeats] | imaging-bench inflate ZIP [repeats] | imaging-bench seg FOLDER [repeats]
//        | imaging-bench interleave PATH_A PATH_B [repeats]
// Prints one line: mode, best seconds of the repeats, pixel MB, MB/s, peak RSS growth during the first run (MB), volume MB.
// seg prints one line per writer (RT Structure Set, SEG BINARY, SEG label map): best seconds, file bytes, deflated bytes.
// interleave loads A and B alternately in one process, so that a busy machine slows both alike, and prints each one's
// best and median seconds and B's rate as a fraction of A's.
var mode = args[0];
if (mode == "interleave")
{
    Interleave.Run(args[1], args[2], args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 15);
    return;
}
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
        // A whole-series multi-frame file (105 MB here) is past the default 64 MiB entry limit, a policy not a cost.
        var result = VolumeLoader.Load(path, new SeriesLoadOptions { MaxEntryBytes = 1L << 30 }).ThrowIfInvalid();
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
Console.WriteLine(FormattableString.Invariant(
    $"{mode} seconds={best:0.0000} pixelMB={pixelBytes / 1e6:0.0} MBps={pixelBytes / 1e6 / best:0.0} peakGrowthMB={peak:0.0} volumeMB={volumeBytes / 1e6:0.0}"));

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

internal static class Interleave
{
    public static void Run(string a, string b, int repeats)
    {
        var options = new SeriesLoadOptions { MaxEntryBytes = 1L << 30 };
        var times = new[] { new List<double>(), new List<double>() };
        for (var r = 0; r < repeats; r++)
        {
            foreach (var (path, i) in new[] { (a, 0), (b, 1) })
            {
                var watch = Stopwatch.StartNew();
                var result = VolumeLoader.Load(path, options).ThrowIfInvalid();
                watch.Stop();
                times[i].Add(watch.Elapsed.TotalSeconds);
                result = null;
                GC.Collect();
            }
        }
        static double Median(List<double> t) => t.Order().ElementAt(t.Count / 2);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"interleave bestA={times[0].Min():0.0000} medianA={Median(times[0]):0.0000} bestB={times[1].Min():0.0000} " +
            $"medianB={Median(times[1]):0.0000} " +
            $"B/A best={times[0].Min() / times[1].Min():0.00} median={Median(times[0]) / Median(times[1]):0.00} (rate of B as a fraction of A's)"));
    }
}
