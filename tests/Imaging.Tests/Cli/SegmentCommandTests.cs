using System.Text.Json;
using InnerEye.Cli;
using InnerEye.Imaging.Dicom;
using InnerEye.Imaging.Seg;
using InnerEye.Imaging.Tests.Support;
using InnerEye.Inference;

namespace InnerEye.Imaging.Tests.Cli;

/// <summary><c>innereye segment</c> on a small phantom with the pass-through model: <c>--json</c>, progress, exit codes.</summary>
public sealed class SegmentCommandTests : IDisposable
{
    private static readonly string[] Stages = ["decode", "resample", "inference", "postprocess", "contour", "write"];
    private static string ModelsFolder => Path.Combine(ExternalProcess.RepositoryRoot, "models");
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private string Phantom()
    {
        var folder = _dir.Combine("phantom");
        var (exit, _, stderr) = CliRun.Run("phantom", "--seed", "11", "--rows", "32", "--cols", "32", "--slices", "6", "--spacing", "2,2,3",
            "--out", folder);
        Assert.True(exit == 0, stderr);
        return Path.Combine(folder, "ct");
    }

    [Fact]
    public void JsonGivesEveryStagesTimeAndTheFilesWritten()
    {
        var rt = _dir.Combine("rt.dcm");
        var seg = _dir.Combine("seg.dcm");
        var labels = _dir.Combine("labels.nii.gz");
        var (exit, stdout, stderr) = CliRun.Run("segment", Phantom(), "--model", "PassThroughModel", "--models", ModelsFolder, "--device", "cpu",
            "--out", rt, "--seg", seg, "--seg-form", "labelmap", "--labels", labels, "--json");

        Assert.True(exit == 0, stderr);
        using var doc = JsonDocument.Parse(stdout);
        var root = doc.RootElement;
        Assert.Equal("PassThroughModel:1729", root.GetProperty("model").GetString());
        Assert.Equal("Cpu", root.GetProperty("device").GetString());
        var timings = root.GetProperty("timings");
        foreach (var stage in new[] { "modelLoad", "decode", "resample", "inference", "network", "postprocess", "contour", "write", "total" })
            Assert.True(timings.GetProperty(stage).GetDouble() >= 0, stage);
        Assert.True(timings.GetProperty("patches").GetInt32() > 0);
        Assert.InRange(timings.GetProperty("seg").GetDouble(), 0, timings.GetProperty("write").GetDouble());
        var stagesSum = new[] { "modelLoad", "decode", "resample", "inference", "postprocess", "contour", "write" }
            .Sum(s => timings.GetProperty(s).GetDouble());
        Assert.InRange(stagesSum, 0, timings.GetProperty("total").GetDouble() + 1e-3);
        var outputs = root.GetProperty("outputs").EnumerateArray().ToList();
        Assert.Equal(["rt", "seg", "labels"], outputs.Select(o => o.GetProperty("kind").GetString()));
        Assert.Equal([rt, seg, labels], outputs.Select(o => o.GetProperty("path").GetString()));
        Assert.Equal(new[] { rt, seg, labels }.Select(f => new FileInfo(f).Length), outputs.Select(o => o.GetProperty("bytes").GetInt64()));
        Assert.Equal(SegmentationWriter.LabelMapSegmentationStorage, DicomReader.ReadFile(seg).Dataset.GetString(DicomTags.SOPClassUID));
    }

    [Fact]
    public void ProgressGoesToStderrAsPlainLinesWhenRedirected()
    {
        var (exit, stdout, stderr) = CliRun.Run("segment", Phantom(), "--model", "PassThroughModel", "--models", ModelsFolder, "--device", "cpu",
            "--out", _dir.Combine("rt.dcm"));

        Assert.True(exit == 0, stderr);
        Assert.DoesNotContain("\r", stderr);
        var lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.All(lines, l => Assert.StartsWith("progress: ", l));
        var order = Stages.Select(s => Array.FindIndex(lines, l => l.StartsWith($"progress: {s} 0% ", StringComparison.Ordinal))).ToList();
        Assert.DoesNotContain(-1, order);
        Assert.Equal(order.Order(), order);
        foreach (var stage in Stages) Assert.Contains(lines, l => l.StartsWith($"progress: {stage} 100% ", StringComparison.Ordinal));
        Assert.DoesNotContain("progress", stdout);
        Assert.Contains("write", stdout);
    }

    [Fact]
    public void AnUnknownModelOrAnInvalidUploadExitsTwo()
    {
        var ct = Phantom();
        var (exit, _, stderr) = CliRun.Run("segment", ct, "--model", "NoSuchModel", "--models", ModelsFolder, "--out", _dir.Combine("rt.dcm"));
        Assert.Equal(ExitCodes.InputProblem, exit);
        Assert.Contains("error [ModelNotFound]", stderr);

        (exit, _, stderr) = CliRun.Run("segment", ct, "--model", "PassThroughModel:1", "--models", ModelsFolder, "--out", _dir.Combine("rt.dcm"));
        Assert.Equal(ExitCodes.InputProblem, exit);
        Assert.Contains("error [ModelVersionMismatch]", stderr);

        var text = _dir.Combine("text");
        Directory.CreateDirectory(text);
        File.WriteAllText(Path.Combine(text, "0"), "not DICOM");
        (exit, _, stderr) = CliRun.Run("segment", text, "--model", "PassThroughModel", "--models", ModelsFolder, "--device", "cpu",
            "--out", _dir.Combine("rt.dcm"));
        Assert.Equal(ExitCodes.InputProblem, exit);
        Assert.Contains("error [", stderr);
        Assert.False(File.Exists(_dir.Combine("rt.dcm")));
    }

    [Fact]
    public void AnUnwritableOutputExitsOne()
    {
        var (exit, stdout, stderr) = CliRun.Run("segment", Phantom(), "--model", "PassThroughModel", "--models", ModelsFolder, "--device", "cpu",
            "--out", _dir.Combine("no-such-folder", "rt.dcm"), "--json");

        Assert.Equal(ExitCodes.Failure, exit);
        Assert.Equal("", stdout);
        Assert.Contains("error: DirectoryNotFoundException", stderr);
    }
}

/// <summary>The progress display on its own: a bar per stage redrawn in place on a terminal, quarter lines otherwise.</summary>
public sealed class StageProgressTests
{
    private static string Show(bool terminal)
    {
        var writer = new StringWriter();
        var progress = new StageProgress(writer, terminal);
        foreach (var stage in new[] { "decode", "inference" })
        {
            foreach (var percent in new[] { 0, 10, 30, 30, 20, 60, 100 }) progress.Report(new PipelineProgress(stage, percent));
        }
        return writer.ToString();
    }

    [Fact]
    public void OnATerminalEachStageIsOneBarRedrawnInPlace()
    {
        var lines = Show(terminal: true).Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal(2, lines.Length);
        var draws = lines[1].Split('\r', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(5, draws.Length);
        Assert.StartsWith("inference    [.........", draws[0]);
        Assert.StartsWith("inference    [#########.....................]  30%", draws[2]);
        Assert.StartsWith("inference    [##############################] 100%", draws[^1]);
    }

    [Fact]
    public void RedirectedItPrintsTheStartEachQuarterAndTheEnd()
    {
        var lines = Show(terminal: false).Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal(["decode 0%", "decode 30%", "decode 60%", "decode 100%", "inference 0%", "inference 30%", "inference 60%", "inference 100%"],
            lines.Select(l => string.Join(' ', l.Split(' ')[1..3])));
        Assert.All(lines, l => Assert.Matches(@"^progress: \w+ \d+% \(\d+\.\d{3} s\)$", l));
    }
}
