using System.Diagnostics;
using Xunit;

namespace InnerEye.Imaging.Tests.Support;

/// <summary>
/// Runs the other toolkits the tests compare against (pydicom, dcmtk, GDCM, dicom3tools). Where a tool is missing the
/// test is reported Skipped with the reason; with CI=true a missing tool fails the test.
/// </summary>
public static class ExternalProcess
{
    public const string Python = "/usr/bin/python3";

    public static bool InCI => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    public static string ToolsDirectory { get; } = FindToolsDirectory();

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> ImportableModules = new();

    public static string RepositoryRoot => Path.GetFullPath(Path.Combine(ToolsDirectory, "..", ".."));

    /// <summary>
    /// True when the program is on PATH (or is an existing absolute path); otherwise the test cannot run: it is reported
    /// as Skipped with the reason, and with CI=true it fails.
    /// </summary>
    public static bool Available(string program, string? pythonModule = null)
    {
        if (IsInstalled(program, pythonModule)) return true;
        var what = pythonModule is null ? program : $"{program} with python module {pythonModule}";
        var message = $"*** EXTERNAL TOOL MISSING: {what}. This comparison test did not run. Install it (see .ci/run). ***";
        if (InCI) throw new InvalidOperationException(message);
        Console.Error.WriteLine(message);
        throw new SkipException(message);
    }

    /// <summary>
    /// The test needs the program (and the python module): where it is missing the test stops here, reported as Skipped
    /// with the reason, and with CI=true it fails.
    /// </summary>
    public static void Require(string program, string? pythonModule = null) => Available(program, pythonModule);

    /// <summary>Whether the program (and the python module) is there, for tests that can run in part without it.</summary>
    public static bool IsInstalled(string program, string? pythonModule = null)
    {
        var found = program.StartsWith('/') ? File.Exists(program) || Directory.Exists(program) : FindOnPath(program) is not null;
        if (found && pythonModule is not null)
        {
            found = ImportableModules.GetOrAdd(pythonModule, m => Run(Python, ["-c", $"import {m}"], throwOnError: false).ExitCode == 0);
        }
        return found;
    }

    public static (int ExitCode, string Stdout, string Stderr) Run(string program, IEnumerable<string> args, bool throwOnError = true,
        int timeoutMs = 120_000)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) info.ArgumentList.Add(a);
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {program}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeoutMs))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(' ', args)} ran longer than {timeoutMs} ms");
        }
        var result = (process.ExitCode, stdout.Result, stderr.Result);
        if (throwOnError && process.ExitCode != 0)
            throw new InvalidOperationException($"{program} {string.Join(' ', args)} exited {process.ExitCode}: {result.Item3}{result.Item2}");
        return result;
    }

    public static (int ExitCode, string Stdout, string Stderr) RunPythonTool(string script, params string[] args) =>
        Run(Python, [Path.Combine(ToolsDirectory, script), .. args]);

    private static string? FindOnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, program)).FirstOrDefault(File.Exists);

    private static string FindToolsDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "tools");
            if (Directory.Exists(candidate)) return candidate;
        }
        throw new DirectoryNotFoundException("tests/tools not found above " + AppContext.BaseDirectory);
    }
}
