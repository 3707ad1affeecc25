using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using InnerEye.Imaging.Tests.Support;

namespace InnerEye.Gateway.Api.Tests.Support;

/// <summary>
/// A real Orthanc (the Debian packages <c>orthanc</c> and <c>orthanc-dicomweb</c>) on a free loopback HTTP port, with its
/// storage and index in <paramref name="folder"/>, HTTP only, no authentication, the DICOMweb plugin at
/// <c>/dicom-web/</c> and the named DICOMweb servers of <see cref="DicomWebServers"/>. Stopping and starting again keeps
/// the storage, as an Orthanc restart does. The REST calls are in <c>OrthancServer.Rest.cs</c>.
/// </summary>
public sealed partial class OrthancServer(string folder, int port) : IAsyncDisposable
{
    public const string Program = "/usr/sbin/Orthanc";

    public const string DicomWebPlugin = "/usr/share/orthanc/plugins/libOrthancDicomWeb.so";

    private readonly StringBuilder _output = new();
    private Process? _process;
    private HttpClient? _client;

    /// <summary>
    /// True when Orthanc and its DICOMweb plugin are installed; otherwise the test is reported Skipped with the reason,
    /// and with CI=true it fails.
    /// </summary>
    /// <summary>The test needs Orthanc and its DICOMweb plugin: Skipped without them, and failed with CI=true.</summary>
    public static void Require()
    {
        ExternalProcess.Require(Program);
        ExternalProcess.Require(DicomWebPlugin);
    }

    public int Port { get; } = port;

    public Uri Address => new($"http://127.0.0.1:{Port}/");

    /// <summary>The root of Orthanc's own DICOMweb server (QIDO-RS, WADO-RS, STOW-RS at <c>studies</c>).</summary>
    public Uri DicomWebRoot => new(Address, "dicom-web/");

    /// <summary>The DICOMweb servers Orthanc can send to, by name (<c>/dicom-web/servers/{name}/stow</c>).</summary>
    public IDictionary<string, OrthancDicomWebServer> DicomWebServers { get; init; } = new Dictionary<string, OrthancDicomWebServer>();

    /// <summary>How long a series or study receives nothing before Orthanc calls it stable (whole seconds, at least one).</summary>
    public TimeSpan StableAge { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Lua scripts Orthanc loads at start (absolute paths).</summary>
    public IList<string> LuaScripts { get; init; } = [];

    /// <summary>
    /// A configuration to start from (for instance a sample file); the fixture's own settings (ports, storage, access,
    /// plugin, DICOMweb servers, stable age, scripts) replace its values.
    /// </summary>
    public JsonObject? BaseConfiguration { get; init; }

    public string ConfigurationPath => Path.Combine(folder, "orthanc.json");

    /// <summary>What Orthanc wrote to its standard output and error, for failure messages.</summary>
    public string Output
    {
        get
        {
            lock (_output) return _output.ToString();
        }
    }

    /// <summary>A client for Orthanc's REST API at <see cref="Address"/>.</summary>
    public HttpClient Client => _client ??= new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(60) };

    /// <summary>Writes the configuration, starts Orthanc and waits until <c>GET /system</c> answers; again after a stop, on the same
    /// storage.</summary>
    public async Task StartAsync(TimeSpan? timeout = null)
    {
        if (_process is { HasExited: false }) throw new InvalidOperationException("Orthanc is already running.");
        _process?.Dispose();
        Directory.CreateDirectory(folder);
        await File.WriteAllTextAsync(ConfigurationPath, Configuration().ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        var info = new ProcessStartInfo(Program) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(ConfigurationPath);
        var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
        await WaitReadyAsync(timeout ?? TimeSpan.FromSeconds(30));
    }

    /// <summary>SIGTERM: Orthanc finishes its jobs' current step, closes its index and exits.</summary>
    public async Task StopAsync(TimeSpan? timeout = null)
    {
        if (_process is null || _process.HasExited) return;
        ExternalProcess.Run("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]);
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
        await _process.WaitForExitAsync(cts.Token);
    }

    /// <summary>Ends Orthanc at once, as a crash or <c>kill -9</c> would.</summary>
    public async Task KillAsync()
    {
        if (_process is null) return;
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process?.Dispose();
        _client?.Dispose();
    }

    /// <summary>The JSON configuration Orthanc is started with.</summary>
    public JsonObject Configuration()
    {
        var config = BaseConfiguration?.DeepClone().AsObject() ?? [];
        config["Name"] ??= "InnerEye test Orthanc";
        config["HttpServerEnabled"] = true;
        config["HttpPort"] = Port;
        config["DicomServerEnabled"] = false;
        config["RemoteAccessAllowed"] = false;
        config["AuthenticationEnabled"] = false;
        config["OrthancExplorerEnabled"] = false;
        config["StorageDirectory"] = Path.Combine(folder, "storage");
        config["IndexDirectory"] = Path.Combine(folder, "index");
        config["Plugins"] = new JsonArray(DicomWebPlugin);
        config["StableAge"] = Math.Max(1, (int)Math.Ceiling(StableAge.TotalSeconds));
        config["LuaScripts"] = new JsonArray([.. LuaScripts.Select(s => (JsonNode)s)]);
        var servers = new JsonObject();
        foreach (var (name, server) in DicomWebServers) servers[name] = server.ToJson();
        var dicomWeb = config["DicomWeb"]?.AsObject() ?? [];
        dicomWeb["Enable"] = true;
        dicomWeb["Root"] = "/dicom-web/";
        dicomWeb["Servers"] = servers;
        config["DicomWeb"] = dicomWeb;
        return config;
    }

    private async Task WaitReadyAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process!.HasExited) throw new InvalidOperationException($"Orthanc exited with {_process.ExitCode}:\n{Output}");
            try
            {
                if ((await Client.GetAsync("system")).IsSuccessStatusCode) return;
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"Orthanc did not answer GET /system on {Port} within {timeout}:\n{Output}");
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_output) _output.AppendLine(line);
    }
}
