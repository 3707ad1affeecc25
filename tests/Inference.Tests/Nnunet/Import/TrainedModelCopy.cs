using System.IO.Compression;
using System.Text.Json;
using System.Text.Json.Nodes;
using InnerEye.Imaging.Tests.Support;
using InnerEye.Inference.Nnunet.Import;
using InnerEye.Inference.Tests.Support;

namespace InnerEye.Inference.Tests.Nnunet.Import;

/// <summary>
/// The fixture's trained model in a temporary folder: plans.json and dataset.json copied (for a test to edit), each
/// fold's model.onnx and checkpoint_final.pth linked to the fixture's.
/// </summary>
internal sealed class TrainedModelCopy : IDisposable
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };
    private readonly TempDirectory _directory = new();

    public TrainedModelCopy(params int[] folds)
    {
        var source = NnUnetFixture.ModelFolder;
        Folder = _directory.Combine("Dataset501_ThoraxPhantom", "nnUNetTrainer__nnUNetPlans__3d_fullres");
        Directory.CreateDirectory(Folder);
        File.Copy(Path.Combine(source, "plans.json"), PlansPath);
        File.Copy(Path.Combine(source, "dataset.json"), DatasetPath);
        foreach (var fold in folds.Length == 0 ? [0, 1] : folds)
        {
            Directory.CreateDirectory(FoldFolder(fold));
            foreach (var file in new[] { "model.onnx", "checkpoint_final.pth" })
                File.CreateSymbolicLink(Path.Combine(FoldFolder(fold), file), Path.Combine(source, $"fold_{fold}", file));
        }
    }

    public string Folder { get; }

    public string PlansPath => Path.Combine(Folder, "plans.json");

    public string DatasetPath => Path.Combine(Folder, "dataset.json");

    public string Output => _directory.Combine("out");

    public string FoldFolder(int fold) => Path.Combine(Folder, $"fold_{fold}");

    public string CheckpointPath(int fold) => Path.Combine(FoldFolder(fold), "checkpoint_final.pth");

    public NnUnetImportOptions Options(string id = "Imported") => new(Folder, id, Output);

    public NnUnetImportResult Import(Func<NnUnetImportOptions, NnUnetImportOptions>? change = null) =>
        NnUnetModelImporter.Import(change is null ? Options() : change(Options()));

    /// <summary>Edits plans.json; the argument is the whole file, <see cref="Fullres"/> its 3d_fullres configuration.</summary>
    public void EditPlans(Action<JsonObject> edit) => Edit(PlansPath, edit);

    public void EditDataset(Action<JsonObject> edit) => Edit(DatasetPath, edit);

    public static JsonObject Fullres(JsonObject plans) => plans["configurations"]!["3d_fullres"]!.AsObject();

    /// <summary>Replaces a fold's checkpoint by a torch.save-like zip holding <paramref name="pickle"/> as data.pkl.</summary>
    public void WriteCheckpoint(int fold, byte[] pickle)
    {
        File.Delete(CheckpointPath(fold));
        using var archive = ZipFile.Open(CheckpointPath(fold), ZipArchiveMode.Create);
        using var entry = archive.CreateEntry("checkpoint_final/data.pkl", CompressionLevel.NoCompression).Open();
        entry.Write(pickle);
    }

    public void Dispose() => _directory.Dispose();

    private static void Edit(string path, Action<JsonObject> edit)
    {
        var root = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        edit(root);
        File.WriteAllText(path, root.ToJsonString(Indented));
    }
}
