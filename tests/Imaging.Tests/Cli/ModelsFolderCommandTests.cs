using System.Text.Json;
using InnerEye.Cli;
using InnerEye.Imaging.Tests.Support;

namespace InnerEye.Imaging.Tests.Cli;

/// <summary><c>innereye models list|check DIR</c> on the repository's models and on a folder with broken models.</summary>
public sealed class ModelsFolderCommandTests : IDisposable
{
    private static string ModelsFolder => Path.Combine(ExternalProcess.RepositoryRoot, "models");
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void ListPrintsEachModelsIdVersionChannelsAndStructures()
    {
        var (exit, stdout, stderr) = CliRun.Run("models", "list", ModelsFolder);

        Assert.True(exit == 0, stderr);
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("ID ", lines[0]);
        var passThrough = Assert.Single(lines, l => l.StartsWith("PassThroughModel ", StringComparison.Ordinal));
        Assert.Contains("1729", passThrough);
        Assert.Contains("ct (CT)", passThrough);
        Assert.Contains("5: SpinalCord, Lung_R, Lung_L, Heart, Esophagus", passThrough);
        Assert.Contains(lines, l => l.StartsWith("ThoraxCT ", StringComparison.Ordinal));
    }

    [Fact]
    public void ListJsonDescribesTheModels()
    {
        var (exit, stdout, _) = CliRun.Run("models", "list", ModelsFolder, "--json");

        Assert.Equal(0, exit);
        using var doc = JsonDocument.Parse(stdout);
        var models = doc.RootElement.GetProperty("models").EnumerateArray().ToList();
        Assert.Equal(["PassThroughModel", "ThoraxCT"], models.Select(m => m.GetProperty("id").GetString()));
        var m = models[0];
        Assert.Equal("1729", m.GetProperty("version").GetString());
        Assert.Equal(["PassThroughModel.onnx"], m.GetProperty("onnxFiles").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("CT", m.GetProperty("channels")[0].GetProperty("modality").GetString());
        Assert.Equal(5, m.GetProperty("structures").GetArrayLength());
        Assert.Empty(doc.RootElement.GetProperty("problems").EnumerateArray());
    }

    [Fact]
    public void CheckLoadsEveryModelOfTheRepository()
    {
        var (exit, stdout, stderr) = CliRun.Run("models", "check", ModelsFolder);

        Assert.True(exit == 0, stderr);
        Assert.Contains("ok     PassThroughModel:1729 (PassThroughModel.json; PassThroughModel.onnx)", stdout);
        Assert.Contains("ok     ThoraxCT:", stdout);
        Assert.Contains("2 model(s) load", stdout);
    }

    [Fact]
    public void CheckExitsTwoNamingEachProblem()
    {
        var folder = _dir.Combine("models");
        Directory.CreateDirectory(folder);
        var config = File.ReadAllText(Path.Combine(ModelsFolder, "PassThroughModel.json"));
        File.Copy(Path.Combine(ModelsFolder, "PassThroughModel.json"), Path.Combine(folder, "PassThroughModel.json"));
        File.Copy(Path.Combine(ModelsFolder, "PassThroughModel.onnx"), Path.Combine(folder, "PassThroughModel.onnx"));
        string Renamed(string id) => config.Replace("\"PassThroughModel\"", $"\"{id}\"").Replace("PassThroughModel.onnx", $"{id}.onnx");
        File.WriteAllText(Path.Combine(folder, "Missing.json"), Renamed("Missing"));
        File.WriteAllText(Path.Combine(folder, "Corrupt.json"), Renamed("Corrupt"));
        File.WriteAllText(Path.Combine(folder, "Corrupt.onnx"), "not an ONNX model");
        File.WriteAllText(Path.Combine(folder, "Invalid.json"), Renamed("Invalid").Replace("\"level\": 50", "\"level\": \"fifty\""));
        File.WriteAllText(Path.Combine(folder, "Renamed.json"), config);

        var (exit, stdout, stderr) = CliRun.Run("models", "check", folder);

        Assert.Equal(ExitCodes.InputProblem, exit);
        Assert.Contains("ok     PassThroughModel:1729", stdout);
        Assert.Contains("error  Missing.json: ModelFileMissing", stdout);
        Assert.Contains("error  Corrupt.json: ", stdout);
        Assert.Contains("error  Invalid.json: InvalidModelConfig", stdout);
        Assert.Contains("error  Renamed.json: InvalidModelConfig", stdout);
        Assert.Contains("Missing.onnx", stderr);
        Assert.Contains("Corrupt", stderr);
        Assert.Contains("level", stderr);
        Assert.Contains("id 'PassThroughModel' must match the file name 'Renamed.json'", stderr);

        // list reads the configurations only: the corrupt ONNX file is check's to find.
        (exit, stdout, stderr) = CliRun.Run("models", "list", folder, "--json");
        Assert.Equal(ExitCodes.InputProblem, exit);
        using var doc = JsonDocument.Parse(stdout);
        var ids = doc.RootElement.GetProperty("models").EnumerateArray().Select(m => m.GetProperty("id").GetString());
        Assert.Equal(["Corrupt", "PassThroughModel"], ids);
        Assert.Equal(3, doc.RootElement.GetProperty("problems").GetArrayLength());
    }

    [Fact]
    public void AMissingFolderExitsTwo()
    {
        var (exit, _, stderr) = CliRun.Run("models", "check", _dir.Combine("nothing"));

        Assert.Equal(ExitCodes.InputProblem, exit);
        Assert.Contains("ModelFolderMissing", stderr);
    }
}
