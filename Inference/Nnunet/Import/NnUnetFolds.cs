using System.Globalization;
using System.Text.RegularExpressions;

namespace InnerEye.Inference.Nnunet.Import;

/// <summary>One fold of a trained model: its folder, its ONNX file and its checkpoint (null where there is none).</summary>
internal sealed record NnUnetFold(int Number, string Folder, string OnnxPath, NnUnetCheckpoint? Checkpoint);

internal static partial class NnUnetFolds
{
    /// <summary>nnU-Net's predictor loads checkpoint_final.pth; a fold stopped early may only have the best one.</summary>
    public static readonly string[] CheckpointNames = ["checkpoint_final.pth", "checkpoint_best.pth"];

    [GeneratedRegex("^fold_([0-9]+)$")]
    private static partial Regex FoldFolder();

    /// <summary>
    /// The requested folds, or every <c>fold_N</c> folder in numeric order (fold_all, nnU-Net's model trained on every
    /// case, is not a fold of the ensemble and is never picked), each with its ONNX file and checkpoint.
    /// </summary>
    /// <exception cref="NnUnetImportException">MissingFold: a fold folder or its ONNX file is not there; CheckpointUnreadable.</exception>
    public static IReadOnlyList<NnUnetFold> Resolve(string modelFolder, IReadOnlyList<int>? requested, string onnxName)
    {
        var numbers = requested ?? [.. Directory.EnumerateDirectories(modelFolder)
            .Select(d => FoldFolder().Match(Path.GetFileName(d)))
            .Where(m => m.Success && int.TryParse(m.Groups[1].Value, CultureInfo.InvariantCulture, out _))
            .Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture))
            .Distinct().Order()];
        if (numbers.Count == 0)
            throw new NnUnetImportException("MissingFold", modelFolder, "--folds", "holds no fold_N folder: the trained model has no fold to import");
        var folds = new List<NnUnetFold>();
        foreach (var number in numbers)
        {
            var folder = Path.Combine(modelFolder, $"fold_{number}");
            if (!Directory.Exists(folder))
                throw new NnUnetImportException("MissingFold", folder, "--folds", $"asks for fold {number}, but its folder does not exist");
            var onnx = Path.Combine(folder, onnxName);
            if (!File.Exists(onnx))
            {
                throw new NnUnetImportException("MissingFold", onnx, "--onnx-name",
                    $"'{onnxName}' is not in fold {number}'s folder; export the fold's checkpoint with tools/export_nnunet_onnx.py");
            }

            var checkpoint = CheckpointNames.Select(n => Path.Combine(folder, n)).FirstOrDefault(File.Exists);
            folds.Add(new NnUnetFold(number, folder, onnx, checkpoint is null ? null : NnUnetCheckpoint.Read(checkpoint)));
        }
        return folds;
    }
}
