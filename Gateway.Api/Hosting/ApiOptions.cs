namespace InnerEye.Gateway.Api.Hosting;

/// <summary>The front end's settings (configuration section <c>Api</c>).</summary>
public sealed class ApiOptions
{
    /// <summary>The <c>API_AUTH_SECRET</c> every caller sends; also read from <c>CUSTOMCONNSTR_API_AUTH_SECRET</c>.</summary>
    public string? AuthSecret { get; set; }

    /// <summary>Largest upload accepted; a larger one is refused with 413.</summary>
    public long MaxUploadBytes { get; set; } = 2L << 30;

    /// <summary>The <c>Retry-After</c> of a 503 when every model replica's queue is full.</summary>
    public int RetryAfterSeconds { get; set; } = 10;
}
