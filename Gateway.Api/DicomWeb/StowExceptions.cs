namespace InnerEye.Gateway.Api.DicomWeb;

/// <summary>The request is not <c>multipart/related; type="application/dicom"</c> (415).</summary>
public sealed class UnsupportedStowMediaTypeException(string message) : Exception(message);

/// <summary>A part is larger than <c>Api:MaxInstanceBytes</c>.</summary>
public sealed class InstanceTooLargeException(long limit)
    : Exception($"The instance is larger than the limit of {limit} bytes for one instance (Api:MaxInstanceBytes).");
