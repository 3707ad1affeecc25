using InnerEye.Inference;

namespace InnerEye.Grains.Hosting;

/// <summary>Where the model configurations and their ONNX files are (configuration section <c>Models</c>).</summary>
public sealed class ModelsOptions
{
    public const string Section = "Models";

    /// <summary>The models folder; unset: the nearest <c>models/</c> folder above the working directory or the program.</summary>
    public string? Path { get; set; }

    /// <summary>The folder models are read from (<see cref="ModelsFolder.Find"/>), or null when there is none.</summary>
    public string? Folder() => ModelsFolder.Find(string.IsNullOrWhiteSpace(Path) ? null : Path);
}
