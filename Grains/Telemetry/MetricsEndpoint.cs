using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;

namespace InnerEye.Grains.Telemetry;

/// <summary>
/// Serves the process's meter provider as Prometheus text at <c>/metrics</c> on <see cref="MetricsOptions.Port"/>, from
/// a Kestrel listener of its own: the main port never answers <c>/metrics</c>, and this one needs no API secret and
/// serves nothing else.
/// </summary>
internal sealed partial class MetricsEndpoint(MeterProvider meters, IOptions<MetricsOptions> options, ILogger<MetricsEndpoint> logger)
    : IHostedService, IAsyncDisposable
{
    public const string Path = "/metrics";

    private WebApplication? _app;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var port = options.Value.Port;
        if (port == 0) return;
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ListenAnyIP(port));
        var app = builder.Build();
        app.UseOpenTelemetryPrometheusScrapingEndpoint(meters, predicate: null, path: Path, configureBranchedPipeline: null, optionsName: null);
        app.Run(context =>
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        });
        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch (IOException e)
        {
            await app.DisposeAsync();
            throw new InvalidOperationException($"Metrics:Port {port} cannot be listened on: {e.Message}", e);
        }
        _app = app;
        LogListening(logger, port, Path);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_app is { } app) await app.StopAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is { } app) await app.DisposeAsync();
        _app = null;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Metrics: Prometheus text on port {Port} at {Path}.")]
    private static partial void LogListening(ILogger logger, int port, string path);
}
