namespace InnerEye.Inference;

/// <summary>
/// Base of every error this library raises. <see cref="Code"/> is a stable machine-readable word (for problem bodies
/// and exit codes); the message says what is wrong in terms a person can act on.
/// </summary>
public class InferenceException(string code, string message, Exception? inner = null) : Exception(message, inner)
{
    public string Code { get; } = code;
}

/// <summary>
/// A model could not be loaded: its configuration is invalid, or its ONNX file is missing or not a model ONNX Runtime
/// can open. <see cref="File"/> names the file at fault.
/// </summary>
public class ModelLoadException(string code, string file, string message, Exception? inner = null)
    : InferenceException(code, message, inner)
{
    public string File { get; } = file;
}

/// <summary>A model configuration file is invalid; <see cref="Errors"/> lists every problem, each naming its field.</summary>
public sealed class ModelConfigException(string file, IReadOnlyList<string> errors)
    : ModelLoadException("InvalidModelConfig", file, string.Join(" ", errors))
{
    public IReadOnlyList<string> Errors { get; } = errors;
}

/// <summary>No model with the requested id is loaded.</summary>
public sealed class ModelNotFoundException(string requested, IReadOnlyList<string> available)
    : InferenceException("ModelNotFound",
        $"Model '{requested}' is not loaded. Loaded models: {(available.Count == 0 ? "none" : string.Join(", ", available))}.")
{
    public string Requested { get; } = requested;
}

/// <summary>A model with the requested id is loaded, but not in the requested version.</summary>
public sealed class ModelVersionMismatchException(string requested, string id, string requestedVersion, string loadedVersion)
    : InferenceException("ModelVersionMismatch",
        $"Model '{requested}' is not loaded: model '{id}' is loaded in version {loadedVersion}, not {requestedVersion}.")
{
    public string Requested { get; } = requested;
    public string LoadedVersion { get; } = loadedVersion;
}

/// <summary>The model needs an input channel that the upload does not hold.</summary>
public sealed class InputChannelMissingException(string modelId, string channel, IReadOnlyList<string> present)
    : InferenceException("InputChannelMissing",
        $"Model '{modelId}' needs input channel '{channel}', which is not in the upload. Channels present: " +
        $"{(present.Count == 0 ? "none" : string.Join(", ", present.Select(p => $"'{p}'")))}.")
{
    public string Channel { get; } = channel;
    public IReadOnlyList<string> Present { get; } = present;
}

/// <summary>An input channel holds a series of another modality than the model expects.</summary>
public sealed class InputModalityMismatchException(string modelId, string channel, string expected, string actual)
    : InferenceException("InputModalityMismatch",
        $"Model '{modelId}' expects modality {expected} in input channel '{channel}', but the series there is {actual}.")
{
    public string Channel { get; } = channel;
    public string Expected { get; } = expected;
    public string Actual { get; } = actual;
}

/// <summary>The execution provider asked for (CUDA) cannot be used on this machine.</summary>
public sealed class ExecutionProviderUnavailableException(string message, Exception? inner = null)
    : InferenceException("ExecutionProviderUnavailable", message, inner);
