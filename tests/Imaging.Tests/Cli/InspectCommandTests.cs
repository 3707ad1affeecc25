using System.IO.Compression;
using System.Text.Json;
using InnerEye.Cli;
using InnerEye.Imaging.Tests.Support;

namespace InnerEye.Imaging.Tests.Cli;

public class InspectCommandTests
{
    private static (int Exit, string Stdout, string Stderr) Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = CommandLine.RunAsync(args, stdout, stderr).GetAwaiter().GetResult();
        return (exit, stdout.ToString(), stderr.ToString());
    }

    [SkippableFact]
    public void JsonDescribesTheSampleZip()
    {
        var sample = Path.Combine(ExternalProcess.RepositoryRoot, "samples", "phantom-ct.zip");
        var (exit, stdout, _) = Run("inspect", sample, "--json");

        Assert.Equal(0, exit);
        using var doc = JsonDocument.Parse(stdout);
        var channel = Assert.Single(doc.RootElement.GetProperty("channels").EnumerateArray());
        Assert.Equal("ct", channel.GetProperty("channel").GetString());
        Assert.Equal("CT", channel.GetProperty("modality").GetString());
        Assert.Equal(16, channel.GetProperty("slices").GetInt32());
        Assert.Equal([96, 96, 16], channel.GetProperty("size").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal([0.9, 0.9, 2.5], channel.GetProperty("spacing").EnumerateArray().Select(e => e.GetDouble()));
        Assert.Equal(9, channel.GetProperty("direction").GetArrayLength());
        Assert.Equal(3, channel.GetProperty("origin").GetArrayLength());
        Assert.Equal(["1.2.840.10008.1.2.1"], channel.GetProperty("transferSyntaxes").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(-1024, channel.GetProperty("huMin").GetDouble());
        Assert.InRange(channel.GetProperty("huMax").GetDouble(), 600, 900);
        Assert.False(channel.GetProperty("lossy").GetBoolean());
        Assert.Equal(16, channel.GetProperty("instances").GetInt32());
        Assert.Equal(0, channel.GetProperty("multiFrameInstances").GetInt32());
        Assert.Empty(doc.RootElement.GetProperty("problems").EnumerateArray());
    }

    [Fact]
    public void JsonAndTextCountTheMultiFrameImagesASeriesComesFrom()
    {
        using var dir = new TempDirectory();
        Directory.CreateDirectory(dir.Combine("ct"));
        File.WriteAllBytes(dir.Combine("ct", "a"), new MultiFrame.EnhancedImage { Order = i => 2 * i }.Write());
        File.WriteAllBytes(dir.Combine("ct", "b"), new MultiFrame.EnhancedImage { Order = i => 2 * i + 1,
            InstanceUid = "1.2.826.0.1.3680043.10.1.9" }.Write());
        var (exit, stdout, _) = Run("inspect", dir.Path, "--json");
        Assert.Equal(0, exit);
        using var doc = JsonDocument.Parse(stdout);
        var channel = Assert.Single(doc.RootElement.GetProperty("channels").EnumerateArray());
        Assert.Equal(8, channel.GetProperty("slices").GetInt32());
        Assert.Equal(2, channel.GetProperty("instances").GetInt32());
        Assert.Equal(2, channel.GetProperty("multiFrameInstances").GetInt32());
        Assert.Contains("frames of 2 multi-frame image(s)", Run("inspect", dir.Path).Stdout);
    }

    [SkippableFact]
    public void TextOutputSaysUsable()
    {
        var sample = Path.Combine(ExternalProcess.RepositoryRoot, "samples", "phantom-ct.zip");
        var (exit, stdout, _) = Run("inspect", sample);
        Assert.Equal(0, exit);
        Assert.Contains("channel 'ct': CT series", stdout);
        Assert.Contains("usable: yes", stdout);
    }

    [SkippableFact]
    public void UnusableUploadExitsTwoAndListsTheProblem()
    {
        using var dir = new TempDirectory();
        var zip = dir.Combine("text.zip");
        using (var archive = ZipFile.Open(zip, ZipArchiveMode.Create))
        {
            using var w = new StreamWriter(archive.CreateEntry("ct/0").Open());
            w.Write("not dicom at all, only a line of text in a zip entry");
        }
        var (exit, stdout, _) = Run("inspect", zip, "--json");
        Assert.Equal(2, exit);
        using var doc = JsonDocument.Parse(stdout);
        Assert.Empty(doc.RootElement.GetProperty("channels").EnumerateArray());
        var codes = doc.RootElement.GetProperty("problems").EnumerateArray().Select(p => p.GetProperty("code").GetString()).ToList();
        Assert.Contains("NotDicom", codes);
        Assert.Contains("NoImages", codes);
    }

    [SkippableFact]
    public void ZipThatEscapesIsReportedNotThrown()
    {
        using var dir = new TempDirectory();
        var zip = dir.Combine("evil.zip");
        using (var archive = ZipFile.Open(zip, ZipArchiveMode.Create)) archive.CreateEntry("../x").Open().Dispose();
        var (exit, stdout, _) = Run("inspect", zip);
        Assert.Equal(2, exit);
        Assert.Contains("UnsafeEntryName", stdout);
    }

    [SkippableFact]
    public void MissingPathAndBadUsage()
    {
        Assert.Equal(2, Run("inspect", "/nonexistent/upload.zip").Exit);
        Assert.Equal(ExitCodes.InputProblem, Run("inspect").Exit);
        Assert.Equal(ExitCodes.InputProblem, Run("frobnicate").Exit);
    }
}
