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
        // innereye models import-nnunet (Nnunet/Import): a trained nnU-Net model that cannot be imported as it is.
        "NnUnetFileMissing", "InvalidNnUnetFile", "ConfigurationMissing", "UnsupportedConfiguration", "ConfigurationMismatch",
        "UnsupportedResampling", "UnknownNormalizationScheme", "LabelsNotConsecutive", "RegionsClassOrderMissing", "MissingFold",
        "CheckpointMissing", "CheckpointUnreadable", "MirroringAxesDisagree", "OnnxSignatureInvalid", "OnnxShapeMismatch",
        "StructuresFileInvalid", "ImportSelfCheckFailed", "ImportOutputUnwritable",
        "InputChannelMissing", "InputModalityMismatch",
        "ModelNotFound", "ModelVersionMismatch", "ModelFolderMissing", "ModelConfigUnreadable", "InvalidModelConfig", "ModelCatalogInvalid",
        "ModelFileMissing", "ModelFileCorrupt", "ModelSignatureMismatch", "UnexpectedOutputShape", "InferenceFailed",
        "ExecutionProviderUnavailable", "ProbabilitiesUnavailable",
    };
}
