using System.Diagnostics;
using System.Text.Json;
using InnerEye.Imaging.Pixels;

namespace InnerEye.Imaging.Tests.Pixels;

/// <summary>
/// Runs the reference tools (python3 + pydicom, dcmtk, gdcm) that produce expected pixels. When one is missing the
/// test is skipped with a loud message, except under CI=true, where a missing tool fails the test.
/// </summary>
internal static class ExternalTool
{
    public const string Python = "/usr/bin/python3";
    public const string CorpusDirectory = "/usr/lib/python3/dist-packages/pydicom/data/test_files";

    private static readonly bool IsCi = string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    public static string ToolsDirectory { get; } = FindToolsDirectory();

    private static string FindToolsDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "tests", "tools");
            if (File.Exists(Path.Combine(candidate, "extract_frames.py")))
                return candidate;
        }
        return Path.Combine(AppContext.BaseDirectory, "tests", "tools");
    }

    /// <summary>True when every named executable (absolute path or on PATH) and file exists; otherwise reports.</summary>
    public static bool Require(params string[] needs)
    {
        foreach (string need in needs)
        {
            if (Exists(need))
                continue;
            string message = $"*** SKIPPED: reference tool or file '{need}' is not available; pixel comparison not run. ***";
            if (IsCi)
                throw new InvalidOperationException(message + " (CI=true: missing tools fail the build)");
            Console.Error.WriteLine(message);
            return false;
        }
        return true;
    }

    private static bool Exists(string need)
    {
        if (Path.IsPathRooted(need))
            return File.Exists(need) || Directory.Exists(need);
        string? path = Environment.GetEnvironmentVariable("PATH");
        return path is not null && path.Split(':').Any(d => File.Exists(Path.Combine(d, need)));
    }

    public static string Run(string fileName, params string[] arguments)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string a in arguments)
            start.ArgumentList.Add(a);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {fileName}");
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(120_000))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} {string.Join(' ', arguments)} did not finish in 120 s");
        }
        if (process.ExitCode != 0)
            throw new InvalidOperationException(
                $"{fileName} {string.Join(' ', arguments)} exited with {process.ExitCode}: {stderr.Result}");
        return stdout.Result;
    }

    public static string Script(string name) => Path.Combine(ToolsDirectory, name);

    public static string Corpus(string name) => Path.Combine(CorpusDirectory, name);

    public static bool RequireCorpus(string name, params string[] tools) =>
        Require([Python, Script("extract_frames.py"), Corpus(name), .. tools]);
}

/// <summary>The encapsulated frames of one file and its layout, as extract_frames.py writes them.</summary>
internal sealed record EncodedFrames(FrameFormat Format, string TransferSyntax, IReadOnlyList<byte[]> Frames)
{
    public static EncodedFrames Extract(string dicomFile, TempDirectory temp)
    {
        string dir = temp.NewPath("frames");
        ExternalTool.Run(ExternalTool.Python, ExternalTool.Script("extract_frames.py"), dicomFile, dir);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "info.json")));
        JsonElement r = json.RootElement;
        var format = new FrameFormat(
            r.GetProperty("rows").GetInt32(),
            r.GetProperty("columns").GetInt32(),
            r.GetProperty("samples").GetInt32(),
            r.GetProperty("bits_allocated").GetInt32(),
            r.GetProperty("bits_stored").GetInt32(),
            r.GetProperty("signed").GetBoolean(),
            r.GetProperty("planar").GetInt32());
        int count = r.GetProperty("frames").GetInt32();
        var frames = Enumerable.Range(0, count).Select(i => File.ReadAllBytes(Path.Combine(dir, $"frame_{i}.bin"))).ToList();
        return new EncodedFrames(format, r.GetProperty("transfer_syntax").GetString()!, frames);
    }

    public byte[] DecodeAll(IFrameDecoder decoder)
    {
        int frameBytes = checked((int)Format.FrameBytes);
        var all = new byte[frameBytes * Frames.Count];
        for (int i = 0; i < Frames.Count; i++)
            decoder.Decode(Frames[i], Format, all.AsSpan(i * frameBytes, frameBytes));
        return all;
    }
}

internal static class Reference
{
    /// <summary>Native pixels of a file (decompressed by dcmtk or gdcm when compressed), all frames, little-endian, interleaved.</summary>
    public static byte[] NativePixels(string dicomFile, TempDirectory temp)
    {
        string raw = temp.NewPath("native.raw");
        ExternalTool.Run(ExternalTool.Python, ExternalTool.Script("native_pixels.py"), dicomFile, raw);
        return File.ReadAllBytes(raw);
    }

    public static string MakeNative(string kind, TempDirectory temp)
    {
        string path = temp.NewPath($"{kind}.dcm");
        ExternalTool.Run(ExternalTool.Python, ExternalTool.Script("make_native.py"), path, kind);
        return path;
    }

    /// <summary>Runs an encoder: <paramref name="tool"/> [options] input output.</summary>
    public static string Transcode(string tool, string input, TempDirectory temp, params string[] options)
    {
        string output = temp.NewPath("transcoded.dcm");
        ExternalTool.Run(tool, [.. options, input, output]);
        return output;
    }
}

internal sealed class TempDirectory : IDisposable
{
    private int _counter;

    public string Path { get; } = Directory.CreateTempSubdirectory("imaging-pixels-").FullName;

    public string NewPath(string name) => System.IO.Path.Combine(Path, $"{Interlocked.Increment(ref _counter)}-{name}");

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

internal static class PixelAssert
{
    /// <summary>Byte equality, reporting the first differing sample in a readable way.</summary>
    public static void Equal(byte[] expected, byte[] actual, FrameFormat format, string what)
    {
        Xunit.Assert.Equal(expected.Length, actual.Length);
        int mismatch = expected.AsSpan().CommonPrefixLength(actual);
        if (mismatch == expected.Length)
            return;
        int bps = format.BytesPerSample;
        int sample = mismatch / bps;
        long e = ReadSample(expected, sample, bps), a = ReadSample(actual, sample, bps);
        int differing = 0;
        for (int i = 0; i < expected.Length / bps; i++)
            if (ReadSample(expected, i, bps) != ReadSample(actual, i, bps))
                differing++;
        Xunit.Assert.Fail($"{what}: {differing} of {expected.Length / bps} samples differ; first at sample {sample}: expected {e}, got {a}");
    }

    /// <summary>Equality of the low Bits Stored bits of every sample (what lies above them is not pixel data).</summary>
    public static void EqualStoredBits(byte[] expected, byte[] actual, FrameFormat format, string what)
    {
        Xunit.Assert.Equal(expected.Length, actual.Length);
        int bps = format.BytesPerSample;
        long mask = (1L << format.BitsStored) - 1;
        int differing = 0, first = -1;
        for (int i = 0; i < expected.Length / bps; i++)
        {
            if ((ReadSample(expected, i, bps) & mask) != (ReadSample(actual, i, bps) & mask))
            {
                differing++;
                if (first < 0)
                    first = i;
            }
        }
        if (differing > 0)
            Xunit.Assert.Fail($"{what}: {differing} samples differ in their stored bits; first at sample {first}: " +
                $"expected {ReadSample(expected, first, bps) & mask}, got {ReadSample(actual, first, bps) & mask}");
    }

    public static long ReadSample(byte[] data, int index, int bytesPerSample) => bytesPerSample switch
    {
        1 => data[index],
        2 => BitConverter.ToUInt16(data, index * 2),
        _ => BitConverter.ToUInt32(data, index * 4),
    };
}
