namespace InnerEye.Inference;

/// <summary>
/// A segmentation model as described by <c>models/&lt;Id&gt;.json</c>. The network takes float32 [1, C, Z, Y, X]
/// (C = <see cref="InputChannels"/>, each windowed) and returns float32 [1, K + 1, Z, Y, X] class probabilities: index 0
/// is background, index i is <see cref="Structures"/>[i − 1].
/// </summary>
public sealed record ModelConfig(
    string Id,
    string Version,
    string DisplayName,
    string OnnxFile,
    string OnnxInput,
    string OnnxOutput,
    IReadOnlyList<InputChannelConfig> InputChannels,
    PreprocessingConfig Preprocessing,
    IReadOnlyList<StructureConfig> Structures,
    PostprocessingConfig Postprocessing,
    RtConfig Rt)
{
    /// <summary>The configuration file this model was read from (empty when built in code).</summary>
    public string ConfigPath { get; init; } = "";

    /// <summary>The ONNX file, resolved against the configuration file's folder.</summary>
    public string OnnxPath { get; init; } = "";

    /// <summary><c>Id:Version</c>, the form written into SoftwareVersions.</summary>
    public string FullId => $"{Id}:{Version}";

    /// <summary>K + 1: background and one class per structure.</summary>
    public int ClassCount => Structures.Count + 1;

    /// <summary>The channels the network returns: K + 1 with a softmax, K (one region per structure) with a sigmoid.</summary>
    public int OutputChannels => Output.Activation == OutputActivation.Sigmoid ? Structures.Count : ClassCount;

    public ModelGrid Grid { get; init; } = ModelGrid.PatientAxes;

    /// <summary>The voxel grid's preprocessing; used when <see cref="Grid"/> is <see cref="ModelGrid.Voxel"/>.</summary>
    public VoxelGridConfig VoxelGrid { get; init; } = VoxelGridConfig.Default;

    public SlidingWindowConfig SlidingWindow { get; init; } = SlidingWindowConfig.Default;

    /// <summary>Test-time mirroring: the network-array axes (0 = z, 1 = y, 2 = x) whose every combination of flips is averaged.</summary>
    public int[] MirrorAxes { get; init; } = [];

    public OutputConfig Output { get; init; } = OutputConfig.Default;

    /// <summary>
    /// The ONNX files of an ensemble (nnU-Net's folds), resolved; their outputs are averaged where nnU-Net averages them.
    /// A single model has just <see cref="OnnxPath"/>.
    /// </summary>
    public IReadOnlyList<string> EnsemblePaths { get; init; } = [];

    /// <summary>Every ONNX file the model runs: the ensemble's, or the one <see cref="OnnxPath"/>.</summary>
    public IReadOnlyList<string> OnnxPaths => EnsemblePaths.Count > 0 ? EnsemblePaths : [OnnxPath];

    /// <summary>Whether the network's batch axis is dynamic (null: as the ONNX file says).</summary>
    public bool? DynamicBatch { get; init; }

    /// <summary>
    /// True when the model uses only the original pipeline's features (patient-axes grid, probabilities out, linear
    /// blending with overlaps, one file, no mirroring): it then runs on the original, slab-bounded sliding window.
    /// </summary>
    public bool UsesOriginalPipeline => Grid == ModelGrid.PatientAxes && SlidingWindow == SlidingWindowConfig.Default
        && MirrorAxes.Length == 0 && Output.Kind == OutputKind.Probabilities && Output.Activation == OutputActivation.Softmax
        && EnsemblePaths.Count <= 1
        && InputChannels.All(c => c.Normalization is null or { Scheme: NormalizationScheme.Window });
}

/// <summary>One input channel: the channel name in the upload (e.g. "ct") and the modality its series must have.</summary>
public sealed record InputChannelConfig(string Id, string Modality, WindowConfig? Window = null)
{
    /// <summary>The channel's normalisation; null means the window (the channel's, else the preprocessing one).</summary>
    public NormalizationConfig? Normalization { get; init; }
}

/// <summary>
/// Intensity window: values are clamped to [Level − Width/2, Level + Width/2] and mapped linearly onto
/// [OutputMin, OutputMax].
/// </summary>
public sealed record WindowConfig(double Level, double Width, double OutputMin, double OutputMax);

/// <summary>
/// <see cref="TargetSpacing"/> is [x, y, z] mm, or null for the first channel's own grid. <see cref="PatchSize"/> and
/// <see cref="PatchOverlap"/> are [z, y, x] voxels on the model grid; a patch size of 0 means the whole extent.
/// </summary>
public sealed record PreprocessingConfig(WindowConfig? Window, double[]? TargetSpacing, int[] PatchSize, int[] PatchOverlap);

/// <summary>One output structure: its ROI name, display colour, RTROIInterpretedType and whether holes are filled.</summary>
public sealed record StructureConfig(string Name, byte R, byte G, byte B, string InterpretedType, bool FillHoles)
{
    /// <summary>
    /// What the structure is, as the DICOM Segmentation codes it (category, type, optional modifier); null takes the
    /// code of its TG-263 name from <see cref="InnerEye.Imaging.Seg.SegmentCodes"/>, else "Tissue".
    /// </summary>
    public InnerEye.Imaging.Seg.SegmentCode? Code { get; init; }
}

/// <summary>Per structure: keep only the largest 26-connected component; drop components smaller than the minimum.</summary>
public sealed record PostprocessingConfig(bool LargestComponent, int MinimumSizeVoxels)
{
    public static PostprocessingConfig None { get; } = new(false, 0);
}

/// <summary>What the RT Structure Set says made it.</summary>
public sealed record RtConfig(string Manufacturer, string Interpreter)
{
    public static RtConfig Default { get; } = new("Default_Manufacturer", "Default_Interpreter");
}
