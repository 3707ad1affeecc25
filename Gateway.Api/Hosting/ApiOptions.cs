namespace InnerEye.Gateway.Api.Hosting;

/// <summary>The front end's settings (configuration section <c>Api</c>), checked at start by <see cref="ApiOptionsValidator"/>.</summary>
public sealed class ApiOptions
{
    public const string Section = "Api";

    /// <summary>
    /// The <c>API_AUTH_SECRET</c> every caller sends (client <c>default</c>), read once at start by
    /// <see cref="Security.ApiSecretResolver"/>; the connection string <c>CUSTOMCONNSTR_API_AUTH_SECRET</c> stands in for it.
    /// </summary>
    public string? AuthSecret { get; set; }

    /// <summary>
    /// Named API keys, client name → secret, beside <see cref="AuthSecret"/> (client <c>default</c>); re-read when the
    /// configuration changes: rotate a key by adding the new one, moving the client, removing the old one.
    /// </summary>
    public Dictionary<string, string> Keys { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Largest request body of an upload (the whole body, multipart included); a larger one is refused with 413.</summary>
    public long MaxUploadBytes { get; set; } = 2L << 30;

    /// <summary>
    /// Largest DICOM instance (one part of a STOW-RS request); a larger part fails with FailureReason 0xA700. The
    /// default is the decoder's own limit for one file (<c>Decoding:MaxEntryBytes</c>).
    /// </summary>
    public long MaxInstanceBytes { get; set; } = 64L << 20;

    /// <summary>The <c>Retry-After</c> of a 503 when every model replica's queue is full.</summary>
    public int RetryAfterSeconds { get; set; } = 10;

    /// <summary>How long an upload may take from its first byte to its last; a slower one is refused with 408.</summary>
    public TimeSpan UploadTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Kestrel's minimum request body data rate (after a 5 s grace period); 0 turns it off.</summary>
    public double MinUploadBytesPerSecond { get; set; } = 240;

    /// <summary>
    /// How long an answer given before the request body was read (401, 403, 404, 413, 503) first reads and discards
    /// the rest of the body, so that a client that writes its whole body before reading sees the status.
    /// </summary>
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The most request body bytes such an early answer reads and discards before it gives up and closes.</summary>
    public long MaxDrainBytes { get; set; } = 2L << 30;
}
