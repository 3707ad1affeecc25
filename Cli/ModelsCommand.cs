using System.Globalization;
using InnerEye.Inference;
using InnerEye.Inference.Nnunet.Import;

namespace InnerEye.Cli;

/// <summary>
/// <c>innereye models import-nnunet FOLDER --id ID … --out DIR</c>: a trained nnU-Net v2 model as a model
/// configuration and its folds' ONNX files. The deciding is the library's (<see cref="NnUnetModelImporter"/>); this
/// parses the options and prints.
/// </summary>
public static class ModelsCommand
{
    public const string Usage = """
        usage: innereye models import-nnunet FOLDER --id ID --out DIR [--version V] [--configuration NAME]
                 [--folds 0,1,…|all] [--onnx-name model.onnx] [--no-mirroring | --mirror-axes 0,1,2] [--step 0.5]
                 [--batch-size N] [--structures FILE]
        """;

    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr)
    {
        if (args.Length == 0 || args[0] != "import-nnunet")
        {
            await stderr.WriteLineAsync($"error: {(args.Length == 0 ? "a subcommand is missing" : $"unknown subcommand '{args[0]}'")}\n{Usage}");
            return CommandLine.Usage;
        }
        var options = Parse(args[1..], out var error);
        if (options is null)
        {
            await stderr.WriteLineAsync($"error: {error}\n{Usage}");
            return CommandLine.Usage;
        }
        NnUnetImportResult result;
        try
        {
            result = NnUnetModelImporter.Import(options);
        }
        catch (ArgumentException e)
        {
            await stderr.WriteLineAsync($"error: {e.Message}\n{Usage}");
            return CommandLine.Usage;
        }
        catch (InferenceException e)
        {
            await stderr.WriteLineAsync($"error [{e.Code}]: {e.Message}");
            return 2;
        }
        foreach (var warning in result.Warnings) await stderr.WriteLineAsync($"warning: {warning}");
        await stdout.WriteLineAsync(Summary(result));
        return CommandLine.Ok;
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

    private static NnUnetImportOptions? Parse(string[] args, out string error)
    {
        string? folder = null, id = null, output = null, version = null, configuration = null, onnxName = null, structures = null;
        IReadOnlyList<int>? folds = null, mirrorAxes = null;
        double? step = null;
        int? batch = null;
        var mirroring = true;
        for (var i = 0; i < args.Length; i++)
        {
            var a = args[i];
            if (!a.StartsWith("--", StringComparison.Ordinal))
            {
                if (folder is not null) { error = $"unexpected argument '{a}'"; return null; }
                folder = a;
                continue;
            }
            if (a == "--no-mirroring")
            {
                mirroring = false;
                continue;
            }
            if (i + 1 >= args.Length) { error = $"{a} needs a value"; return null; }
            var value = args[++i];
            switch (a)
            {
                case "--id": id = value; break;
                case "--out": output = value; break;
                case "--version": version = value; break;
                case "--configuration": configuration = value; break;
                case "--onnx-name": onnxName = value; break;
                case "--structures": structures = value; break;
                case "--folds":
                    if (value == "all")
                    {
                        folds = null;
                    }
                    else if ((folds = Integers(value)) is null) { error = $"--folds must be 'all' or fold numbers such as 0,1, not '{value}'"; return null; }
                    break;
                case "--mirror-axes":
                    if ((mirrorAxes = Integers(value)) is null) { error = $"--mirror-axes must be axes such as 0,1,2, not '{value}'"; return null; }
                    break;
                case "--step":
                    if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var s)) { error = $"--step must be a number, not '{value}'"; return null; }
                    step = s;
                    break;
                case "--batch-size":
                    if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var b)) { error = $"--batch-size must be a whole number, not '{value}'"; return null; }
                    batch = b;
                    break;
                default: error = $"unknown option {a}"; return null;
            }
        }
        error = folder is null ? "the trained model FOLDER is missing" : id is null ? "--id is missing" : output is null ? "--out is missing" : "";
        if (error.Length > 0) return null;
        var options = new NnUnetImportOptions(folder!, id!, output!)
        {
            Configuration = configuration,
            Folds = folds,
            Mirroring = mirroring,
            MirrorAxes = mirrorAxes,
            StructuresFile = structures,
        };
        if (version is not null) options = options with { Version = version };
        if (onnxName is not null) options = options with { OnnxName = onnxName };
        if (step is not null) options = options with { StepFraction = step.Value };
        if (batch is not null) options = options with { BatchSize = batch.Value };
        return options;
    }

    private static int[]? Integers(string text)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        var values = new int[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            if (!int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out values[i])) return null;
        }
        return values;
    }
}
