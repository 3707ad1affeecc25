using System.Text.Json;
using InnerEye.Imaging.Pixels;
using InnerEye.Imaging.Tests.Support;

namespace InnerEye.Imaging.Tests.Pixels;

/// <summary>The pixel tests' view of the reference tools; running and CI rules live in <see cref="ExternalProcess"/>.</summary>
internal static class ExternalTool
{
    public const string Python = ExternalProcess.Python;
    public const string CorpusDirectory = PydicomCorpus.Directory;

    /// <summary>
    /// True when every named executable (absolute path or on PATH) and file exists; never false: a missing one stops the
    /// test as Skipped with the reason (<see cref="ExternalProcess.Available"/>), and fails it with CI=true.
    /// </summary>
    public static bool Require(params string[] needs) =>
        needs.All(need => need == Python ? ExternalProcess.Available(Python, "pydicom, numpy") : ExternalProcess.Available(need));

    public static string Run(string fileName, params string[] arguments) => ExternalProcess.Run(fileName, arguments).Stdout;

    public static string Script(string name) => Path.Combine(ExternalProcess.ToolsDirectory, name);

    public static string Corpus(string name) => Path.Combine(CorpusDirectory, name);

    public static bool RequireCorpus(string name, params string[] tools) =>
        Require([Python, Script("extract_frames.py"), Corpus(name), .. tools]);
}

/// <summary>The encapsulated frames of one file and its layout, as extract_frames.py writes them.</summary>
internal sealed record EncodedFrames(FrameFormat Format, string TransferSyntax, IReadOnlyList<byte[]> Frames)
{
    public static EncodedFrames Extract(string dicomFile, TempDirectory temp)
    {
        var dir = temp.NewPath("frames");
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
        var count = r.GetProperty("frames").GetInt32();
        var frames = Enumerable.Range(0, count).Select(i => File.ReadAllBytes(Path.Combine(dir, $"frame_{i}.bin"))).ToList();
        return new EncodedFrames(format, r.GetProperty("transfer_syntax").GetString()!, frames);
    }

    public byte[] DecodeAll(IFrameDecoder decoder)
    {
        var frameBytes = checked((int)Format.FrameBytes);
        var all = new byte[frameBytes * Frames.Count];
        for (var i = 0; i < Frames.Count; i++)
            decoder.Decode(Frames[i], Format, all.AsSpan(i * frameBytes, frameBytes));
        return all;
    }
}

internal static class Reference
{
    /// <summary>Native pixels of a file (decompressed by dcmtk or gdcm when compressed), all frames, little-endian, interleaved.</summary>
    public static byte[] NativePixels(string dicomFile, TempDirectory temp)
    {
        var raw = temp.NewPath("native.raw");
        ExternalTool.Run(ExternalTool.Python, ExternalTool.Script("native_pixels.py"), dicomFile, raw);
        return File.ReadAllBytes(raw);
    }

    public static string MakeNative(string kind, TempDirectory temp)
    {
        var path = temp.NewPath($"{kind}.dcm");
        ExternalTool.Run(ExternalTool.Python, ExternalTool.Script("make_native.py"), path, kind);
        return path;
    }

    /// <summary>Runs an encoder: <paramref name="tool"/> [options] input output.</summary>
    public static string Transcode(string tool, string input, TempDirectory temp, params string[] options)
    {
        var output = temp.NewPath("transcoded.dcm");
        ExternalTool.Run(tool, [.. options, input, output]);
        return output;
    }
}

internal static class PixelAssert
{
    /// <summary>Byte equality, reporting the first differing sample in a readable way.</summary>
    public static void Equal(byte[] expected, byte[] actual, FrameFormat format, string what)
    {
        Xunit.Assert.Equal(expected.Length, actual.Length);
        var mismatch = expected.AsSpan().CommonPrefixLength(actual);
        if (mismatch == expected.Length)
            return;
        var bps = format.BytesPerSample;
        var sample = mismatch / bps;
        long e = ReadSample(expected, sample, bps), a = ReadSample(actual, sample, bps);
        var differing = 0;
        for (var i = 0; i < expected.Length / bps; i++)
        {
            if (ReadSample(expected, i, bps) != ReadSample(actual, i, bps))
                differing++;
        }

        Xunit.Assert.Fail($"{what}: {differing} of {expected.Length / bps} samples differ; first at sample {sample}: expected {e}, got {a}");
    }

    /// <summary>Equality of the low Bits Stored bits of every sample (what lies above them is not pixel data).</summary>
    public static void EqualStoredBits(byte[] expected, byte[] actual, FrameFormat format, string what)
    {
        Xunit.Assert.Equal(expected.Length, actual.Length);
        var bps = format.BytesPerSample;
        var mask = (1L << format.BitsStored) - 1;
        int differing = 0, first = -1;
        for (var i = 0; i < expected.Length / bps; i++)
        {
            if ((ReadSample(expected, i, bps) & mask) != (ReadSample(actual, i, bps) & mask))
            {
                differing++;
                if (first < 0)
                    first = i;
            }
        }
        if (differing > 0)
        {
            Xunit.Assert.Fail($"{what}: {differing} samples differ in their stored bits; first at sample {first}: " +
                $"expected {ReadSample(expected, first, bps) & mask}, got {ReadSample(actual, first, bps) & mask}");
        }
    }

    public static long ReadSample(byte[] data, int index, int bytesPerSample) => bytesPerSample switch
    {
        1 => data[index],
        2 => BitConverter.ToUInt16(data, index * 2),
        _ => BitConverter.ToUInt32(data, index * 4),
    };
}
