using System.CommandLine;
using System.Globalization;
using InnerEye.Inference;
using InnerEye.Inference.Nnunet.Import;

namespace InnerEye.Cli;

/// <summary>
/// <c>innereye models import-nnunet FOLDER --id ID … --out DIR</c>: a trained nnU-Net v2 model as a model
/// configuration and its folds' ONNX files. The deciding is the library's (<see cref="NnUnetModelImporter"/>); this
/// parses the options and prints. <c>models list</c> and <c>models check</c> are <see cref="ModelsFolderCommands"/>.
/// </summary>
public static class ModelsCommand
{
    public static Command Create() => new("models", "Import, list and check models.")
    {
        CreateImport(),
        ModelsFolderCommands.CreateList(),
        ModelsFolderCommands.CreateCheck(),
    };

    private static Command CreateImport()
    {
        var folder = new Argument<string>("FOLDER")
        {
            Description = "The trained nnU-Net v2 model folder (nnUNetTrainer__nnUNetPlans__3d_fullres or the like).",
        };
        var id = OptionParsers.Text("--id", "ID", "The model id: the configuration is written as DIR/ID.json.", required: true);
        var output = OptionParsers.Text("--out", "DIR", "The models folder to write into.", required: true);
        var version = OptionParsers.Text("--version", "V", "The model version (default 1).");
        var configuration = OptionParsers.Text("--configuration", "NAME",
            "The nnU-Net configuration (default: the one the checkpoints were trained with).");
        var folds = OptionParsers.IntegerList("--folds", "0,1,…|all", "The folds to import (default all).", allWord: "all");
        var onnxName = OptionParsers.Text("--onnx-name", "model.onnx", "The ONNX file name in each fold folder.");
        var noMirroring = new Option<bool>("--no-mirroring") { Description = "Test-time mirroring off." };
        var mirrorAxes = OptionParsers.IntegerList("--mirror-axes", "0,1,2", "The mirror axes (default: the checkpoint's).");
        var step = OptionParsers.OptionalNumber("--step", "0.5", "The sliding window's step as a fraction of the patch (default 0.5).");
        var batch = OptionParsers.OptionalInteger("--batch-size", "N", "Patches per network run (a dynamic-batch ONNX file).", 0, int.MaxValue);
        var structures = OptionParsers.Text("--structures", "FILE", "A JSON file with the structures' names, colours and codes.");
        var command = new Command("import-nnunet",
            "Import a trained nnU-Net v2 model folder (the configuration its checkpoints were trained with, every fold, the checkpoint's "
            + "mirror axes unless told otherwise): writes DIR/ID.json and each fold's ONNX file as DIR/ID.fold_K.onnx, run as nnU-Net's "
            + "predictor runs them (exit 2 when the model cannot be imported, with the file and field at fault).")
        {
            folder, id, output, version, configuration, folds, onnxName, noMirroring, mirrorAxes, step, batch, structures,
        };
        command.SetAction((r, _) =>
        {
            var options = new NnUnetImportOptions(r.GetRequiredValue(folder), r.GetRequiredValue(id), r.GetRequiredValue(output))
            {
                Configuration = r.GetValue(configuration),
                Folds = r.GivenValue(folds),
                Mirroring = !r.GetValue(noMirroring),
                MirrorAxes = r.GivenValue(mirrorAxes),
                StructuresFile = r.GetValue(structures),
            };
            if (r.GetValue(version) is { } v) options = options with { Version = v };
            if (r.GetValue(onnxName) is { } name) options = options with { OnnxName = name };
            if (r.GetValue(step) is { } s) options = options with { StepFraction = s };
            if (r.GetValue(batch) is { } b) options = options with { BatchSize = b };
            return RunAsync(options, command, r.Out(), r.Error());
        });
        return command;
    }

    private static async Task<int> RunAsync(NnUnetImportOptions options, Command command, TextWriter stdout, TextWriter stderr)
    {
        NnUnetImportResult result;
        try
        {
            result = NnUnetModelImporter.Import(options);
        }
        catch (ArgumentException e)
        {
            await stderr.WriteLineAsync($"error: {e.Message}\n{CommandLine.Usage(command)}");
            return ExitCodes.InputProblem;
        }
        foreach (var warning in result.Warnings) await stderr.WriteLineAsync($"warning: {warning}");
        await stdout.WriteLineAsync(Summary(result));
        return ExitCodes.Ok;
    }

    private static string Summary(NnUnetImportResult result)
    {
        var m = result.Model;
        var folder = Path.GetDirectoryName(result.ConfigPath);
        string Numbers<T>(IEnumerable<T> values) => string.Join(", ", values.Select(v => string.Format(CultureInfo.InvariantCulture, "{0}", v)));
        var channels = string.Join(", ", m.InputChannels.Select(c => $"{c.Id} ({c.Modality}, {SchemeName(c.Normalization)})"));
        var output = m.Output.Activation == OutputActivation.Sigmoid ? "sigmoid regions" : "softmax";
        return $"""
            imported {m.DisplayName} as {m.FullId}
              wrote        {result.ConfigPath} and {string.Join(", ", m.EnsemblePaths.Select(p => Path.GetRelativePath(folder!, p)))}
              grid         voxel, target spacing [{Numbers(m.Preprocessing.TargetSpacing ?? [])}] mm (x, y, z), patch [{Numbers(m.Preprocessing.PatchSize)}]
              channels     {channels}
              structures   {m.Structures.Count} ({output}): {string.Join(", ", m.Structures.Select(s => s.Name))}
              mirroring    {(m.MirrorAxes.Length == 0 ? "none" : $"axes [{Numbers(m.MirrorAxes)}]")} ({result.MirrorAxesSource})
              batch        {(m.DynamicBatch == true ? $"dynamic, {m.SlidingWindow.BatchSize} patches per run" : "fixed at 1")}
            """;
    }

    /// <summary>The scheme as the configuration file spells it (ctClipZScore, zScore, …).</summary>
    private static string SchemeName(NormalizationConfig? normalization)
    {
        var name = (normalization?.Scheme ?? NormalizationScheme.Window).ToString();
        return char.ToLowerInvariant(name[0]) + name[1..];
    }
}
