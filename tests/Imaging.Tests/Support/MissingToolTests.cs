namespace InnerEye.Imaging.Tests.Support;

/// <summary>
/// The contract every comparison test relies on: a missing tool never lets a test pass silently. It stops the test as
/// Skipped with the reason, and with CI=true fails it.
/// </summary>
public sealed class MissingToolTests
{
    private const string Missing = "/nonexistent/innereye-tool";

    [SkippableFact]
    public void AMissingToolSkipsWithTheReasonOrFailsInCI()
    {
        Assert.False(ExternalProcess.IsInstalled(Missing));
        var e = Record.Exception(() => ExternalProcess.Require(Missing));
        if (ExternalProcess.InCI) Assert.IsType<InvalidOperationException>(e);
        else Assert.IsType<SkipException>(e);
        Assert.Contains($"EXTERNAL TOOL MISSING: {Missing}", e.Message, StringComparison.Ordinal);
    }

    [SkippableFact]
    public void AMissingPythonModuleIsNamed()
    {
        var e = Record.Exception(() => ExternalProcess.Require(Missing, "numpy"));
        Assert.Contains("with python module numpy", e.Message, StringComparison.Ordinal);
    }
}
