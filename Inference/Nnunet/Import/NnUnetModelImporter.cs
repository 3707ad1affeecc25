using System.Text.RegularExpressions;

namespace InnerEye.Inference.Nnunet.Import;

/// <summary>
/// Turns a trained nnU-Net v2 model folder (plans.json, dataset.json, fold_N/ with a checkpoint and the exported ONNX
/// file) into a model configuration that runs the folds as nnU-Net's predictor does: <c>OUT/ID.json</c> and the
/// folds' networks copied beside it as <c>ID.fold_N.onnx</c>. Every refusal is an <see cref="NnUnetImportException"/>
/// naming the file and the field; nothing is left in the output folder unless the written configuration loads.
/// </summary>
public static partial class NnUnetModelImporter
{
    /// <summary>nnU-Net's ANISO_THRESHOLD (nnunetv2/configuration.py).</summary>
    public const double AnisotropyThreshold = 3;

    public static readonly RtConfig Rt = new("InnerEye-Orleans", "nnU-Net");

    [GeneratedRegex("^[A-Za-z0-9_.-]+$")]
    private static partial Regex IdPattern();

    /// <exception cref="ArgumentException">An option is out of range (a usage error).</exception>
    /// <exception cref="NnUnetImportException">The model cannot be imported; the code says why.</exception>
    public static NnUnetImportResult Import(NnUnetImportOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Validate(options);
        var folder = Path.GetFullPath(options.ModelFolder);
        if (!Directory.Exists(folder))
            throw new NnUnetImportException("NnUnetFileMissing", folder, "",
                "is not a folder; pass the trained model folder (Dataset…/Trainer__Plans__configuration)");
        var warnings = new List<string>();
        var plans = NnUnetPlans.Load(Path.Combine(folder, "plans.json"));
        var dataset = NnUnetDataset.Load(Path.Combine(folder, "dataset.json"));
        var folds = NnUnetFolds.Resolve(folder, options.Folds, options.OnnxName);
        var configurationName = options.Configuration ?? folds.Select(f => f.Checkpoint?.Configuration).FirstOrDefault(c => c is not null)
            ?? FolderParts(folder)?[2] ?? "3d_fullres";
        var configuration = NnUnetConfiguration.From(plans.Configuration(configurationName));
        foreach (var checkpoint in folds.Select(f => f.Checkpoint).OfType<NnUnetCheckpoint>()
            .Where(c => c.Configuration is not null && c.Configuration != configurationName))
        {
            throw new NnUnetImportException("ConfigurationMismatch", checkpoint.Path, "init_args.configuration",
                $"is '{checkpoint.Configuration}': the network was trained for that configuration, not '{configurationName}'");
        }

        var channels = NnUnetChannels.Map(dataset, configuration, plans, warnings);
        var mirroring = NnUnetMirroring.Decide(options, folds, warnings);
        var onnx = NnUnetOnnxCheck.Check(folds, configuration, dataset);
        var structures = NnUnetStructureStyles.For(dataset.Labels.Names, options.StructuresFile);

        var output = Path.GetFullPath(options.OutputFolder);
        var configPath = Path.Combine(output, options.Id + ".json");
        var onnxNames = folds.Select(f => $"{options.Id}.fold_{f.Number}.onnx").ToList();
        var model = new ModelConfig(options.Id, options.Version, DisplayName(folder, plans, dataset, configurationName, folds), onnxNames[0],
            onnx.Input, onnx.Output, channels, new PreprocessingConfig(null, TargetSpacing(configuration, plans), configuration.PatchSize, [0, 0, 0]),
            structures, PostprocessingConfig.None, Rt)
        {
            ConfigPath = configPath,
            OnnxPath = Path.Combine(output, onnxNames[0]),
            Grid = ModelGrid.Voxel,
            VoxelGrid = new VoxelGridConfig(plans.TransposeForward, true, configuration.ImageResampling, configuration.OutputResampling,
                AnisotropyThreshold),
            SlidingWindow = new SlidingWindowConfig(options.StepFraction, Blending.Gaussian, options.BatchSize, AccumulatorPrecision.Float16),
            MirrorAxes = mirroring.Axes,
            Output = new OutputConfig(OutputKind.Logits, dataset.Labels.RegionBased ? OutputActivation.Sigmoid : OutputActivation.Softmax,
                dataset.Labels.Regions),
            EnsemblePaths = [.. onnxNames.Select(n => Path.Combine(output, n))],
            DynamicBatch = onnx.DynamicBatch,
        };
        var loaded = NnUnetImportWriter.Write(model, folds.Select(f => f.OnnxPath).ToList());
        return new NnUnetImportResult(configPath, loaded, configurationName, [.. folds.Select(f => f.Number)], mirroring.Source, warnings);
    }

    /// <summary>
    /// The plans' spacing is in the network array's axis order (after transpose_forward); the configuration's
    /// targetSpacing is [x, y, z] of the image's own [z, y, x] axes, which the pipeline transposes forward again.
    /// </summary>
    internal static double[] TargetSpacing(NnUnetConfiguration configuration, NnUnetPlans plans)
    {
        var imageAxes = ArrayAxes.Permute(configuration.Spacing, plans.TransposeBackward);
        return [imageAxes[2], imageAxes[1], imageAxes[0]];
    }

    private static string DisplayName(string folder, NnUnetPlans plans, NnUnetDataset dataset, string configuration, IReadOnlyList<NnUnetFold> folds)
    {
        var parts = FolderParts(folder);
        var datasetName = plans.DatasetName ?? dataset.Name ?? Path.GetFileName(Path.GetDirectoryName(folder)) ?? "nnU-Net";
        var trainer = folds.Select(f => f.Checkpoint?.TrainerName).FirstOrDefault(t => t is not null) ?? parts?[0];
        var plansName = plans.PlansName ?? parts?[1];
        var model = trainer is null || plansName is null ? configuration : $"{trainer}__{plansName}__{configuration}";
        var foldList = string.Join(", ", folds.Select(f => f.Number));
        return $"{datasetName} {model} ({(folds.Count == 1 ? "fold" : "folds")} {foldList})";
    }

    /// <summary>nnU-Net names a trained model folder Trainer__Plans__configuration.</summary>
    private static string[]? FolderParts(string folder) =>
        Path.GetFileName(folder.TrimEnd(Path.DirectorySeparatorChar)).Split("__") is { Length: 3 } parts && parts.All(p => p.Length > 0)
            ? parts : null;

    private static void Validate(NnUnetImportOptions options)
    {
        if (!IdPattern().IsMatch(options.Id)) throw new ArgumentException($"--id '{options.Id}' may only hold letters, digits, '_', '.' and '-'");
        if (string.IsNullOrWhiteSpace(options.Version) || options.Version.Contains(':'))
            throw new ArgumentException($"--version '{options.Version}' must be non-empty and without ':'");
        if (!(options.StepFraction > 0 && options.StepFraction <= 1)) throw new ArgumentException($"--step {options.StepFraction} must be in (0, 1]");
        if (options.BatchSize is < 1 or > 64) throw new ArgumentException($"--batch-size {options.BatchSize} must be from 1 to 64");
        if (options.Folds is { } folds && (folds.Count == 0 || folds.Any(f => f < 0) || folds.Distinct().Count() != folds.Count))
            throw new ArgumentException("--folds must list distinct fold numbers ≥ 0, or be 'all'");
        if (options.MirrorAxes is { } axes)
        {
            if (!options.Mirroring) throw new ArgumentException("--mirror-axes and --no-mirroring exclude each other");
            if (axes.Count == 0 || axes.Any(a => a is < 0 or > 2) || axes.Distinct().Count() != axes.Count)
                throw new ArgumentException("--mirror-axes must list distinct axes 0 (z), 1 (y), 2 (x) of the network array");
        }
        if (string.IsNullOrWhiteSpace(options.OnnxName) || options.OnnxName.IndexOfAny(['/', '\\']) >= 0)
            throw new ArgumentException($"--onnx-name '{options.OnnxName}' must be a file name");
    }
}
