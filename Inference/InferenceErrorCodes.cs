namespace InnerEye.Inference;

/// <summary>
/// Every <see cref="InferenceException.Code"/> this library gives. <see cref="InputFaults"/> describe the upload (it
/// does not fit the model); all others describe the service: its models, their files, or the machine.
/// </summary>
public static class InferenceErrorCodes
{
    public static readonly IReadOnlySet<string> InputFaults = new HashSet<string>(StringComparer.Ordinal)
    {
        "InputChannelMissing", "InputModalityMismatch",
    };

    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal)
    {
        "InputChannelMissing", "InputModalityMismatch",
        "ModelNotFound", "ModelVersionMismatch", "ModelFolderMissing", "ModelConfigUnreadable", "InvalidModelConfig", "ModelCatalogInvalid",
        "ModelFileMissing", "ModelFileCorrupt", "ModelSignatureMismatch", "UnexpectedOutputShape", "InferenceFailed",
        "ExecutionProviderUnavailable", "ProbabilitiesUnavailable",
    };
}
