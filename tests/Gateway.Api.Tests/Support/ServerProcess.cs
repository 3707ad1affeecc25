using System.Diagnostics;
using System.Text;
using InnerEye.Imaging.Tests.Support;

namespace InnerEye.Gateway.Api.Tests.Support;

/// <summary>
/// The real Gateway.Api program (the embedded service) in its own process on loopback, as an operator runs it; its
/// output is kept for the test's failure message.
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private ServerProcess(Process process, Uri address)
    {
        _process = process;
        Address = address;
    }

    public Uri Address { get; }

    public string Output
    {
        get
        {
            lock (_output) return _output.ToString();
        }
    }

    public static string ProgramPath => ProjectProgram("Gateway.Api", "InnerEye.Gateway.Api.dll");

    public static string SiloProgramPath => ProjectProgram("Silo", "InnerEye.Silo.dll");

    /// <summary>A project's program in the same build configuration as this test assembly (…/bin/&lt;Configuration&gt;/net10.0/).</summary>
    private static string ProjectProgram(string project, string dll)
    {
        var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;
        return Path.Combine(ExternalProcess.RepositoryRoot, project, "bin", configuration, "net10.0", dll);
    }

    /// <summary>The embedded service (Gateway.Api with its co-hosted silo) on fresh silo ports.</summary>
    public static Task<ServerProcess> StartAsync(int httpPort, string dataPath, IReadOnlyDictionary<string, string> environment,
        string? workingDirectory = null)
    {
        var env = new Dictionary<string, string>
        {
            ["Storage__Path"] = dataPath,
            ["Cluster__SiloPort"] = FreePorts.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Cluster__GatewayPort"] = FreePorts.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        foreach (var (k, v) in environment) env[k] = v;
        return StartProgramAsync(ProgramPath, httpPort, env, workingDirectory);
    }

    /// <summary>A program of this repository (Gateway.Api or Silo) with the repository's models on the CPU; returns once it is ready.</summary>
    public static async Task<ServerProcess> StartProgramAsync(string program, int httpPort, IReadOnlyDictionary<string, string> environment,
        string? workingDirectory = null, TimeSpan? readyTimeout = null)
    {
        var address = new Uri($"http://127.0.0.1:{httpPort}");
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (workingDirectory is not null) info.WorkingDirectory = workingDirectory;
        info.ArgumentList.Add(program);
        info.ArgumentList.Add("--urls");
        info.ArgumentList.Add(address.ToString().TrimEnd('/'));
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        info.Environment["Models__Path"] = Phantoms.RepositoryModels;
        info.Environment["Inference__Device"] = "Cpu";
        // Many servers run at once: none listens on the default metrics port (a test that scrapes gives a free one).
        info.Environment["Metrics__Port"] = "0";
        foreach (var (k, v) in environment) info.Environment[k] = v;
        var process = new Process { StartInfo = info };
        var server = new ServerProcess(process, address);
        process.OutputDataReceived += (_, e) => server.Append(e.Data);
        process.ErrorDataReceived += (_, e) => server.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await server.WaitReadyAsync(readyTimeout ?? TimeSpan.FromSeconds(90));
        return server;
    }

    public int ProcessId => _process.Id;

    /// <summary>Asks the process to stop (SIGTERM, as Kubernetes does) and waits for it to exit.</summary>
    public async Task StopAsync(TimeSpan timeout)
    {
        if (_process.HasExited) return;
        ExternalProcess.Run("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);
    }

    /// <summary>Ends the process at once, as a crash or <c>kill -9</c> would.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
    }

    private async Task WaitReadyAsync(TimeSpan timeout)
    {
        using var client = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited) throw new InvalidOperationException($"The server exited with {_process.ExitCode}:\n{Output}");
            try
            {
                if ((await client.GetAsync("/health/ready")).IsSuccessStatusCode) return;
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }
            await Task.Delay(250);
        }
        throw new TimeoutException($"The server was not ready within {timeout}:\n{Output}");
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_output) _output.AppendLine(line);
    }
}
