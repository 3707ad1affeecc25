using System.Diagnostics;
using InnerEye.Cli;
using InnerEye.Imaging.Tests.Support;

namespace InnerEye.Imaging.Tests.Cli;

/// <summary>The one help style and the one set of exit codes of every verb: 0 ok, 2 input problem, 1 anything else.</summary>
public sealed class CommandLineTests
{
    [Fact]
    public void TheHelpListsEveryVerbAndTheExitCodes()
    {
        var (exit, stdout, stderr) = CliRun.Run("--help");

        Assert.Equal(ExitCodes.Ok, exit);
        Assert.Equal("", stderr);
        foreach (var verb in new[] { "inspect <PATH>", "segment <PATH>", "phantom", "models", "audit <PATH>", "dump <FILE>" })
            Assert.Contains(verb, stdout);
        Assert.Contains(ExitCodes.Help, stdout);
    }

    [Theory]
    [InlineData("inspect")]
    [InlineData("segment")]
    [InlineData("phantom")]
    [InlineData("models", "list")]
    [InlineData("models", "check")]
    [InlineData("audit")]
    [InlineData("dump")]
    public void EveryVerbHasHelpWithTheExitCodes(params string[] verb)
    {
        var (exit, stdout, _) = CliRun.Run([.. verb, "--help"]);

        Assert.Equal(ExitCodes.Ok, exit);
        Assert.Contains($"innereye {string.Join(' ', verb)}", stdout);
        Assert.Contains(ExitCodes.Help, stdout);
    }

    [Theory]
    [InlineData("usage: innereye <inspect|segment|phantom|models|audit|dump>")]
    [InlineData("usage: innereye <inspect|segment|phantom|models|audit|dump>", "frobnicate")]
    [InlineData("usage: innereye inspect PATH [options]", "inspect")]
    [InlineData("usage: innereye inspect PATH [options]", "inspect", "a", "b")]
    [InlineData("usage: innereye segment PATH --model ID[:VERSION] --out rt.dcm [options]", "segment", "x", "--model", "M")]
    [InlineData("usage: innereye segment PATH --model ID[:VERSION] --out rt.dcm [options]",
        "segment", "x", "--model", "M", "--out", "r", "--device", "tpu")]
    [InlineData("usage: innereye models list DIR [options]", "models", "list")]
    [InlineData("usage: innereye audit PATH [options]", "audit", "x", "--action", "delete")]
    [InlineData("usage: innereye dump FILE", "dump")]
    public void BadArgumentsExitTwoWithTheErrorAndTheUsage(string usage, params string[] args)
    {
        var (exit, stdout, stderr) = CliRun.Run(args);

        Assert.Equal(ExitCodes.InputProblem, exit);
        Assert.Equal("", stdout);
        Assert.StartsWith("error: ", stderr);
        Assert.Contains(usage, stderr);
    }

    [Fact]
    public void AnInvalidInputExitsTwoAndAnUnwritableOutputOne()
    {
        using var dir = new TempDirectory();
        var text = dir.Combine("not.dcm");
        File.WriteAllText(text, "not a DICOM file");

        var (exit, _, stderr) = CliRun.Run("dump", text);
        Assert.Equal(ExitCodes.InputProblem, exit);
        Assert.StartsWith("error [", stderr);

        var file = dir.Combine("file");
        File.WriteAllText(file, "");
        (exit, _, stderr) = CliRun.Run("phantom", "--seed", "1", "--rows", "16", "--cols", "16", "--slices", "1",
            "--out", Path.Combine(file, "under-a-file"));
        Assert.Equal(ExitCodes.Failure, exit);
        Assert.StartsWith("error: could not write to ", stderr);
    }

    [Fact]
    public void APhantomNeedsOnlyASeedAndAFolder()
    {
        using var dir = new TempDirectory();
        var (exit, stdout, stderr) = CliRun.Run("phantom", "--seed", "5", "--rows", "16", "--cols", "16", "--slices", "2", "--out", dir.Path);

        Assert.True(exit == 0, stderr);
        Assert.StartsWith("phantom seed 5: 16x16x2, spacing ", stdout);
        Assert.Equal(2, Directory.GetFiles(dir.Combine("ct")).Length);
    }

    [Fact]
    public void TheBuiltProgramExitsWithTheSameCodes()
    {
        var program = Path.Combine(AppContext.BaseDirectory, "innereye.dll");
        Assert.True(File.Exists(program), program);

        Assert.Equal((ExitCodes.Ok, true), Process(program, "--help"));
        Assert.Equal((ExitCodes.InputProblem, false), Process(program, "frobnicate"));
        Assert.Equal((ExitCodes.InputProblem, false), Process(program, "audit", "/nonexistent/audit"));
    }

    private static (int Exit, bool ListsExitCodes) Process(string program, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(program);
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = System.Diagnostics.Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(60_000), "innereye did not exit within a minute");
        return (process.ExitCode, stdout.Result.Contains(ExitCodes.Help, StringComparison.Ordinal));
    }
}
