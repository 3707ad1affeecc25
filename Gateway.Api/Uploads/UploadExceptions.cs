namespace InnerEye.Gateway.Api.Uploads;

/// <summary>The upload is larger than <c>Api:MaxUploadBytes</c> (413).</summary>
public sealed class UploadTooLargeException(long limit)
    : Exception($"The upload is larger than the limit of {limit} bytes (Api:MaxUploadBytes).")
{
    public long Limit { get; } = limit;
}

/// <summary>The request body is not an upload this service understands (400).</summary>
public sealed class InvalidUploadException(string message) : Exception(message);
