using System.Diagnostics;
using System.Net.Sockets;

namespace InnerEye.Gateway.Api.Tests.Support;

/// <summary>A real <c>redis-server</c> on a free loopback port, with its append-only file in <paramref name="folder"/>.</summary>
public sealed class RedisServer(string folder, int port) : IAsyncDisposable
{
    private Process? _process;

    public const string Program = "/usr/bin/redis-server";

    public int Port { get; } = port;

    public string Configuration => $"127.0.0.1:{Port}";

    public async Task StartAsync()
    {
        Directory.CreateDirectory(folder);
        var info = new ProcessStartInfo(Program) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1",
                     "--dir", folder, "--appendonly", "yes", "--save", "", "--daemonize", "no" })
        {
            info.ArgumentList.Add(a);
        }

        _process = Process.Start(info)!;
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync("127.0.0.1", Port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(100);
            }
        }
        throw new TimeoutException($"redis-server did not listen on {Port}.");
    }

    /// <summary>SIGTERM: Redis flushes its append-only file and exits.</summary>
    public async Task StopAsync()
    {
        if (_process is null || _process.HasExited) return;
        Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!.WaitForExit();
        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false }) _process.Kill();
        if (_process is not null) await _process.WaitForExitAsync();
        _process?.Dispose();
    }
}
