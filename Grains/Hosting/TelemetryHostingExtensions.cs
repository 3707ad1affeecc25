using InnerEye.Grains.Telemetry;
using InnerEye.Inference;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace InnerEye.Grains.Hosting;

/// <summary>
/// Metrics and traces for every process (the front end, embedded or not, and the silos), registered in one place:
/// the InnerEye, inference, ASP.NET Core and Orleans meters served as Prometheus text on <c>Metrics:Port</c> (see
/// <see cref="MetricsEndpoint"/>); the InnerEye, ASP.NET Core and Orleans activities; both exported over OTLP when
/// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set. Grain calls carry the caller's activity when the cluster is set up with
/// <see cref="ClusterHostingExtensions"/> (Orleans activity propagation).
/// </summary>
public static class TelemetryHostingExtensions
{
    public const string OrleansMeter = "Microsoft.Orleans";
    public static readonly string[] OrleansSources = ["Microsoft.Orleans.Runtime", "Microsoft.Orleans.Application"];

    /// <param name="serviceName">The process's service name in exported telemetry (e.g. <c>innereye-gateway</c>, <c>innereye-silo</c>).</param>
    public static WebApplicationBuilder AddInnerEyeTelemetry(this WebApplicationBuilder builder, string serviceName)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var config = builder.Configuration;
        // Read before the container exists, since they decide what is registered; bound and checked as every other section.
        var metrics = config.ReadValidated(MetricsOptions.Section, new MetricsOptionsValidator());
        var tracing = config.GetSection(TracingOptions.Section).Get<TracingOptions>() ?? new TracingOptions();
        builder.Services.AddValidatedOptions<MetricsOptions, MetricsOptionsValidator>(MetricsOptions.Section);
        builder.Services.AddOptions<TracingOptions>().BindConfiguration(TracingOptions.Section);
        if (!metrics.Enabled && !tracing.Enabled) return builder;

        var otlp = !string.IsNullOrWhiteSpace(config["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        var telemetry = builder.Services.AddOpenTelemetry().ConfigureResource(r => r.AddService(serviceName));
        if (metrics.Enabled)
        {
            telemetry.WithMetrics(m =>
            {
                m.AddMeter(InnerEyeMetrics.MeterName, InferenceMetrics.MeterName, OrleansMeter)
                    .AddAspNetCoreInstrumentation()
                    .AddPrometheusExporter();
                if (otlp) m.AddOtlpExporter();
            });
            builder.Services.AddHostedService<MetricsEndpoint>();
        }
        if (tracing.Enabled)
        {
            telemetry.WithTracing(t =>
            {
                t.SetSampler(TraceSelection.Sampler)
                    .AddSource(InnerEyeTracing.SourceName).AddSource(OrleansSources)
                    .AddAspNetCoreInstrumentation(o => o.Filter = TraceSelection.TracesRequest);
                if (otlp) t.AddOtlpExporter();
            });
        }
        return builder;
    }
}
