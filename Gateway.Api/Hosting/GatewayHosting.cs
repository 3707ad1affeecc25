using System.Text.Json.Serialization;
using InnerEye.Gateway.Api.Audit;
using InnerEye.Gateway.Api.DicomWeb;
using InnerEye.Gateway.Api.Health;
using InnerEye.Gateway.Api.Jobs;
using InnerEye.Gateway.Api.Routes;
using InnerEye.Gateway.Api.Security;
using InnerEye.Gateway.Api.Ui;
using InnerEye.Gateway.Api.Uploads;
using InnerEye.Grains;
using InnerEye.Grains.Artifacts;
using InnerEye.Grains.Audit;
using InnerEye.Grains.Hosting;
using InnerEye.Inference;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;
using Orleans.Dashboard;

namespace InnerEye.Gateway.Api.Hosting;

public static partial class GatewayHosting
{
    public const string DefaultUrl = "http://localhost:5000";

    /// <summary>
    /// The front end, with a co-hosted silo when no cluster is configured (the embedded service: localhost clustering,
    /// state and artifacts on local disk, models on the CPU unless a GPU is configured), else as a client of the Redis
    /// cluster.
    /// </summary>
    public static WebApplicationBuilder AddInnerEyeGateway(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var config = builder.Configuration;
        config.AddAppFolderSettings(AppContext.BaseDirectory, builder.Environment.ContentRootPath, builder.Environment.EnvironmentName);
        if (!HasUrls(config)) builder.WebHost.UseUrls(DefaultUrl);

        var host = InnerEyeHostSettings.Read(builder);
        var secret = ApiSecretResolver.Resolve(config, builder.Environment, !host.Cluster.UsesRedis, host.Silo.StoragePath, Console.Out);
        builder.Services.AddSingleton(new ApiSecret(secret));
        builder.Services.AddSingleton<ApiKeyRing>();
        builder.Services.AddValidatedOptions<ApiOptions, ApiOptionsValidator>(ApiOptions.Section);
        builder.Services.AddOptions<KestrelServerOptions>().Configure<IOptions<ApiOptions>>((kestrel, options) =>
            kestrel.Limits.MinRequestBodyDataRate = options.Value.MinUploadBytesPerSecond > 0
                ? new MinDataRate(options.Value.MinUploadBytesPerSecond, TimeSpan.FromSeconds(5))
                : null);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.AddInnerEyeTelemetry("innereye-gateway");
        // Before the co-hosted silo's services: the embedded service has one audit writer, the front end's.
        builder.Services.AddInnerEyeAudit(host.Silo.Audit, host.Silo.StoragePath, host.Silo.Permissions, writerName: null);

        if (host.Cluster.UsesRedis) AddClusterClient(builder, host);
        else builder.AddInnerEyeSiloHost(host);

        builder.Services.AddSingleton<SegmentationService>();
        builder.Services.AddSingleton<StowReceiver>();
        builder.Services.AddSingleton<StudyResults>();
        builder.Services.AddReadyCheck<ClusterReadyCheck>("cluster");
        builder.Services.AddOpenApi();
        builder.Services.ConfigureHttpJsonOptions(o =>
            o.SerializerOptions.Converters.Add(new JsonStringEnumConverter(System.Text.Json.JsonNamingPolicy.CamelCase)));
        return builder;
    }

    public static WebApplication UseInnerEyeGateway(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        // A missing or corrupt model stops the service here, at start, not on the first request.
        var catalog = app.Services.GetRequiredService<ModelCatalog>();
        LogModels(app.Logger, string.Join(", ", catalog.Models.Select(m => m.FullId)));
        app.UseMiddleware<UnreadBodyDrain>();
        app.UseMiddleware<MethodNotAllowedBody>();
        app.UseMiddleware<ApiKeyMiddleware>();
        app.UseMiddleware<AuditMiddleware>();
        var routes = app.MapGroup("").AllowHeadWhereGet();
        routes.MapHealthRoutes();
        routes.MapSeedRoutes();
        routes.MapJobListRoutes();
        routes.MapInnerEyeRoutes();
        routes.MapDicomWebRoutes();
        routes.MapUiRoutes();
        routes.MapOpenApi();
        routes.MapOrleansDashboard("/dashboard").RequireKnownSilo();
        return app;
    }

    /// <summary>
    /// Cluster mode: an Orleans client of the Redis cluster (no silo here). The front end reads the model
    /// configurations (no ONNX sessions) to list and check model ids, and shares the artifact volume with the silos.
    /// </summary>
    private static void AddClusterClient(WebApplicationBuilder builder, InnerEyeHostSettings host)
    {
        var settings = host.Silo;
        builder.UseOrleansClient(client =>
        {
            client.UseInnerEyeCluster(host.Cluster);
            client.AddDashboard();
        });
        builder.Services.AddSingleton(sp => ModelCatalog.Load(settings.ModelsPath, null,
            sp.GetRequiredService<ILoggerFactory>().CreateLogger<ModelCatalog>()));
        builder.Services.AddSingleton<IArtifactStore>(new FileSystemArtifactStore(Path.Combine(settings.StoragePath, "artifacts"),
            settings.Permissions));
        builder.Services.AddValidatedOptions<SegmentationOptions, SegmentationOptionsValidator>("Segmentation");
    }

    /// <summary>Whether listening addresses were given (<c>--urls</c>, <c>ASPNETCORE_URLS</c>, <c>*_HTTP_PORTS</c>, Kestrel endpoints).</summary>
    private static bool HasUrls(IConfiguration config) =>
        !string.IsNullOrEmpty(config["urls"]) || !string.IsNullOrEmpty(config["http_ports"]) || !string.IsNullOrEmpty(config["https_ports"]) ||
        config.GetSection("Kestrel:Endpoints").Exists();

    [LoggerMessage(Level = LogLevel.Information, Message = "Models: {Models}.")]
    private static partial void LogModels(ILogger logger, string models);
}
