namespace InnerEye.Inference.Nnunet.Import;

/// <summary>
/// What to import: the trained model folder (<c>Dataset…/Trainer__Plans__configuration</c>), the model's id and
/// version, the output folder, and the choices nnU-Net's predictor leaves to its caller.
/// </summary>
public sealed record NnUnetImportOptions(string ModelFolder, string Id, string OutputFolder)
{
    public string Version { get; init; } = "1";

    /// <summary>
    /// The plans configuration; null: the one the checkpoints were trained with (<c>init_args.configuration</c>),
    /// else the folder name's last part (<c>Trainer__Plans__configuration</c>), else 3d_fullres.
    /// </summary>
    public string? Configuration { get; init; }

    /// <summary>The folds to ensemble; null: every <c>fold_N</c> folder, in numeric order.</summary>
    public IReadOnlyList<int>? Folds { get; init; }

    /// <summary>The ONNX file in each fold folder (written by tools/export_nnunet_onnx.py).</summary>
    public string OnnxName { get; init; } = "model.onnx";

    /// <summary>False: no test-time mirroring (nnU-Net's <c>--disable_tta</c>).</summary>
    public bool Mirroring { get; init; } = true;

    /// <summary>Mirror axes (network array axes 0-2) instead of the checkpoint's inference_allowed_mirroring_axes.</summary>
    public IReadOnlyList<int>? MirrorAxes { get; init; }

    /// <summary>nnU-Net's tile_step_size.</summary>
    public double StepFraction { get; init; } = 0.5;

    /// <summary>Patches per network run where the ONNX batch axis is dynamic.</summary>
    public int BatchSize { get; init; } = 4;

    /// <summary>A JSON file of structure colours and RTROIInterpretedTypes; null: the default palette and ORGAN.</summary>
    public string? StructuresFile { get; init; }
}

/// <summary>What an import wrote and decided.</summary>
/// <param name="ConfigPath">The configuration written, <c>OUT/ID.json</c>.</param>
/// <param name="Model">The configuration as <see cref="ModelConfigLoader"/> read it back.</param>
/// <param name="MirrorAxesSource">Where the mirror axes came from: the checkpoint, the option, or nowhere.</param>
/// <param name="Warnings">Decisions the caller should see (a modality guessed from a name, a checkpoint without mirror axes).</param>
public sealed record NnUnetImportResult(
    string ConfigPath,
    ModelConfig Model,
    string Configuration,
    IReadOnlyList<int> Folds,
    string MirrorAxesSource,
    IReadOnlyList<string> Warnings);
