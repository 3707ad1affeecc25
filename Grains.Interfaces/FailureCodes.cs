namespace InnerEye.Grains;

/// <summary>
/// The <see cref="SegmentationStatus.ErrorCode"/>s the service itself gives; every other code is an Imaging or
/// Inference error code (FailureClassifier, in Grains, tells the upload's faults from the service's).
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
}
