namespace InnerEye.Grains;

/// <summary>
/// The <see cref="SegmentationStatus.ErrorCode"/>s the service itself gives; every other code is an Imaging or
/// Inference error about the upload.
/// </summary>
public static class FailureCodes
{
    /// <summary>Transient faults (lost silos, failed calls) exceeded the retry limit.</summary>
    public const string TransientFaultsExhausted = "TransientFaultsExhausted";

    /// <summary>No silo could run the model within the wait limit.</summary>
    public const string NoModelSilo = "NoModelSilo";

    /// <summary>The upload is no longer in the artifact store.</summary>
    public const string InputMissing = "InputMissing";

    /// <summary>A failure that named no code.</summary>
    public const string Unknown = "Unknown";

    // Inference's codes for a model that is not (or no longer) loaded: the service's configuration, not the upload.
    private static readonly HashSet<string> ServiceFaults = new(StringComparer.Ordinal)
    {
        TransientFaultsExhausted, NoModelSilo, InputMissing, Unknown, "ModelNotFound", "ModelVersionMismatch", "ExecutionProviderUnavailable",
    };

    /// <summary>Whether a failure is the service's fault (HTTP 500) rather than the upload's (HTTP 400).</summary>
    public static bool IsServiceFault(string? code) => code is null || ServiceFaults.Contains(code);
}
