using InnerEye.Cli;

namespace InnerEye.Imaging.Tests.Cli;

/// <summary>Runs the innereye entry point in process, as Program.cs does, with the output captured.</summary>
internal static class CliRun
{
    public static (int Exit, string Stdout, string Stderr) Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = CommandLine.RunAsync(args, stdout, stderr).GetAwaiter().GetResult();
        return (exit, stdout.ToString(), stderr.ToString());
    }
}
