namespace InnerEye.Gateway.Api.Uploads;

/// <summary>The upload is larger than <c>Api:MaxUploadBytes</c> (413).</summary>
public sealed class UploadTooLargeException(long limit)
    : Exception($"The upload is larger than the limit of {limit} bytes (Api:MaxUploadBytes).")
{
    public long Limit { get; } = limit;
}

/// <summary>The request body is not an upload this service understands (400).</summary>
public sealed class InvalidUploadException(string message) : Exception(message);

/// <summary>The upload did not finish within <c>Api:UploadTimeout</c> (408).</summary>
public sealed class UploadTimeoutException(TimeSpan timeout)
    : Exception($"The upload did not finish within {timeout} (Api:UploadTimeout); nothing was kept.")
{
    public TimeSpan Timeout { get; } = timeout;
}
