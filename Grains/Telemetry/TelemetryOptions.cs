using Microsoft.Extensions.Options;

namespace InnerEye.Grains.Telemetry;

/// <summary>The <c>Metrics</c> section: the instruments, and the Prometheus listener that serves them.</summary>
public sealed class MetricsOptions
{
    public const string Section = "Metrics";
    public const int DefaultPort = 9464;

    /// <summary>Whether metrics are collected at all (off: no meter provider, no listener).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The port that serves Prometheus text at <c>/metrics</c>, on every interface; 0 serves none.</summary>
    public int Port { get; set; } = DefaultPort;
}

/// <summary>The <c>Tracing</c> section.</summary>
public sealed class TracingOptions
{
    public const string Section = "Tracing";

    /// <summary>Whether activities are recorded (and exported over OTLP when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set).</summary>
    public bool Enabled { get; set; } = true;
}

/// <summary>Refuses a start with a metrics port out of range, naming the setting.</summary>
public sealed class MetricsOptionsValidator : IValidateOptions<MetricsOptions>
{
    public ValidateOptionsResult Validate(string? name, MetricsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.Port is < 0 or > 65535
            ? ValidateOptionsResult.Fail($"Metrics:Port must be 0 (no /metrics listener) or a port from 1 to 65535 (is {options.Port}).")
            : ValidateOptionsResult.Success;
    }
}
