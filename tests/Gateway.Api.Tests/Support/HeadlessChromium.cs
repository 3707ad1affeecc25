using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using InnerEye.Imaging.Tests.Support;

namespace InnerEye.Gateway.Api.Tests.Support;

/// <summary>
/// Debian's Chromium in headless mode, driven over the DevTools protocol (a WebSocket to its one page): extra request
/// headers (the credentials), navigation, script evaluation in the page and screenshots.
/// </summary>
public sealed class HeadlessChromium : IAsyncDisposable
{
    public const string Program = "/usr/bin/chromium";

    private readonly Process _process;
    private readonly TempDirectory _profile;
    private readonly ClientWebSocket _socket = new();
    private readonly Dictionary<int, TaskCompletionSource<JsonObject>> _pending = [];
    private readonly List<(string Method, TaskCompletionSource<JsonObject> Seen)> _awaited = [];
    private readonly Lock _lock = new();
    private readonly CancellationTokenSource _stop = new();
    private Task _reader = Task.CompletedTask;
    private int _nextId;

    public static bool Installed => File.Exists(Program);

    /// <summary>Skips the test (fails it under CI=true) when Chromium is not installed.</summary>
    public static void SkipUnlessInstalled()
    {
        if (Installed) return;
        if (ExternalProcess.InCI) Assert.Fail($"{Program} is not installed (Debian package chromium); CI must run the browser tests.");
        Skip.If(true, $"{Program} is not installed (Debian package chromium).");
    }

    private HeadlessChromium(Process process, TempDirectory profile)
    {
        _process = process;
        _profile = profile;
    }

    public static async Task<HeadlessChromium> StartAsync(int width = 1400, int height = 1000)
    {
        var profile = new TempDirectory();
        var start = new ProcessStartInfo(Program)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "--headless", "--no-sandbox", "--disable-gpu", "--remote-debugging-port=0", $"--user-data-dir={profile.Path}",
                     $"--window-size={width},{height}", "--no-first-run", "--no-default-browser-check", "--hide-scrollbars", "about:blank" })
            start.ArgumentList.Add(arg);
        var process = Process.Start(start)!;
        process.ErrorDataReceived += (_, _) => { };
        process.OutputDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        var browser = new HeadlessChromium(process, profile);
        try
        {
            await browser.ConnectAsync();
        }
        catch
        {
            await browser.DisposeAsync();
            throw;
        }
        return browser;
    }

    private async Task ConnectAsync()
    {
        var portFile = Path.Combine(_profile.Path, "DevToolsActivePort");
        var deadline = DateTime.UtcNow.AddSeconds(60);
        string? page = null;
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        while (page is null)
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("Chromium opened no DevTools page within 60 s.");
            if (_process.HasExited) throw new InvalidOperationException($"Chromium exited with {_process.ExitCode}.");
            await Task.Delay(100);
            if (!File.Exists(portFile)) continue;
            var lines = await File.ReadAllLinesAsync(portFile);
            if (lines.Length == 0 || !int.TryParse(lines[0], out var port)) continue;
            var targets = JsonNode.Parse(await http.GetStringAsync($"http://127.0.0.1:{port}/json/list"))!.AsArray();
            page = targets.FirstOrDefault(t => (string?)t!["type"] == "page")?["webSocketDebuggerUrl"]?.GetValue<string>();
        }
        await _socket.ConnectAsync(new Uri(page), CancellationToken.None);
        _reader = Task.Run(ReadLoopAsync);
        await SendAsync("Page.enable");
        await SendAsync("Network.enable");
    }

    /// <summary>Sends these headers with every request the page makes (page, images, links followed).</summary>
    public Task SetExtraHeadersAsync(IReadOnlyDictionary<string, string> headers)
    {
        var map = new JsonObject();
        foreach (var (k, v) in headers) map[k] = v;
        return SendAsync("Network.setExtraHTTPHeaders", new JsonObject { ["headers"] = map });
    }

    /// <summary>Opens <paramref name="url"/> and waits for its load event (images included).</summary>
    public async Task NavigateAsync(Uri url)
    {
        var loaded = Await("Page.loadEventFired");
        var answer = await SendAsync("Page.navigate", new JsonObject { ["url"] = url.ToString() });
        if (answer["errorText"] is { } error) throw new InvalidOperationException($"Navigation to {url} failed: {error}");
        await loaded.WaitAsync(TimeSpan.FromSeconds(60));
    }

    /// <summary>Evaluates a script expression in the page; its value comes back as JSON.</summary>
    public async Task<JsonNode?> EvaluateAsync(string expression)
    {
        var answer = await SendAsync("Runtime.evaluate",
            new JsonObject { ["expression"] = expression, ["returnByValue"] = true, ["awaitPromise"] = true });
        if (answer["exceptionDetails"] is { } failure) throw new InvalidOperationException($"Script failed: {failure.ToJsonString()}");
        return answer["result"]?["value"]?.DeepClone();
    }

    /// <summary>A PNG of the whole page.</summary>
    public async Task<byte[]> ScreenshotAsync()
    {
        var answer = await SendAsync("Page.captureScreenshot", new JsonObject { ["format"] = "png", ["captureBeyondViewport"] = true });
        return Convert.FromBase64String(answer["data"]!.GetValue<string>());
    }

    private Task<JsonObject> Await(string method)
    {
        var seen = new TaskCompletionSource<JsonObject>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock) _awaited.Add((method, seen));
        return seen.Task;
    }

    private async Task<JsonObject> SendAsync(string method, JsonObject? parameters = null)
    {
        var answer = new TaskCompletionSource<JsonObject>(TaskCreationOptions.RunContinuationsAsynchronously);
        int id;
        lock (_lock)
        {
            id = ++_nextId;
            _pending[id] = answer;
        }
        var message = new JsonObject { ["id"] = id, ["method"] = method, ["params"] = parameters ?? new JsonObject() };
        await _socket.SendAsync(Encoding.UTF8.GetBytes(message.ToJsonString()), WebSocketMessageType.Text, true, CancellationToken.None);
        var reply = await answer.Task.WaitAsync(TimeSpan.FromSeconds(60));
        if (reply["error"] is { } error) throw new InvalidOperationException($"{method}: {error.ToJsonString()}");
        return reply["result"]?.AsObject() ?? new JsonObject();
    }

    private async Task ReadLoopAsync()
    {
        var buffer = new byte[1 << 16];
        using var message = new MemoryStream();
        try
        {
            while (!_stop.IsCancellationRequested && _socket.State == WebSocketState.Open)
            {
                var part = await _socket.ReceiveAsync(buffer, _stop.Token);
                if (part.MessageType == WebSocketMessageType.Close) break;
                message.Write(buffer, 0, part.Count);
                if (!part.EndOfMessage) continue;
                var node = JsonNode.Parse(message.ToArray())!.AsObject();
                message.SetLength(0);
                Dispatch(node);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException)
        {
            // Closed: the browser is going away.
        }
    }

    private void Dispatch(JsonObject node)
    {
        lock (_lock)
        {
            if (node["id"] is { } id && _pending.Remove(id.GetValue<int>(), out var answer))
            {
                answer.TrySetResult(node);
                return;
            }
            if (node["method"]?.GetValue<string>() is not { } method) return;
            foreach (var waiter in _awaited.Where(w => w.Method == method).ToList())
            {
                waiter.Seen.TrySetResult(node);
                _awaited.Remove(waiter);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            if (_socket.State == WebSocketState.Open)
                await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (Exception e) when (e is WebSocketException or TimeoutException)
        {
            // The browser is killed below either way.
        }
        await _reader.WaitAsync(TimeSpan.FromSeconds(5)).ContinueWith(_ => { }, TaskScheduler.Default);
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        }
        _process.Dispose();
        _socket.Dispose();
        _stop.Dispose();
        _profile.Dispose();
    }
}
