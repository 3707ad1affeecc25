namespace InnerEye.Inference.Nnunet.Import;

/// <summary>
/// A trained nnU-Net model cannot be imported as it is. <see cref="File"/> is the file at fault (plans.json,
/// dataset.json, a checkpoint, an ONNX file or a fold folder) and <see cref="Field"/> the field or option in question
/// (empty where the whole file is at fault); the message names both.
/// </summary>
public sealed class NnUnetImportException(string code, string file, string field, string message, Exception? inner = null)
    : InferenceException(code, Compose(file, field, message), inner)
{
    public string File { get; } = file;

    public string Field { get; } = field;

    private static string Compose(string file, string field, string message) =>
        field.Length == 0 ? $"{file}: {message}" : $"{file}: {field} {message}";
}
