using System.Globalization;
using InnerEye.Inference;

namespace InnerEye.Cli;

/// <summary>What a models folder holds, as <c>models list</c> and <c>models check</c> print it; its JSON form is documented in docs/cli.md.</summary>
public sealed record ModelInventory(string Folder, IReadOnlyList<ModelInventory.ModelInfo> Models, IReadOnlyList<ModelInventory.Problem> Problems)
{
    public sealed record ModelInfo(
        string Id, string Version, string DisplayName, string File, string Grid, IReadOnlyList<string> OnnxFiles,
        IReadOnlyList<ChannelInfo> Channels, IReadOnlyList<string> Structures);

    public sealed record ChannelInfo(string Id, string Modality);

    public sealed record Problem(string File, string Code, string Message);

    /// <summary>
    /// Every <c>*.json</c> of <paramref name="folder"/>: read and validated, and with <paramref name="load"/> its ONNX file(s)
    /// opened in ONNX Runtime on the CPU and matched against the configuration, as <see cref="ModelConfigLoader.Load"/> does for
    /// the service (which also refuses a configuration whose id is not its file's name, so no two models share an id).
    /// </summary>
    public static ModelInventory Read(string folder, bool load)
    {
        var models = new List<ModelInfo>();
        var problems = new List<Problem>();
        foreach (var file in Directory.GetFiles(folder, "*.json").Order(StringComparer.Ordinal))
        {
            try
            {
                var model = load ? ModelConfigLoader.Load(file) : ModelConfigLoader.Read(file);
                models.Add(Describe(model, folder));
            }
            catch (ModelConfigException e)
            {
                problems.AddRange(e.Errors.Select(message => new Problem(file, e.Code, message)));
            }
            catch (InferenceException e)
            {
                problems.Add(new Problem(file, e.Code, e.Message));
            }
        }
        return new ModelInventory(folder, models, problems);
    }

    private static ModelInfo Describe(ModelConfig m, string folder) => new(
        m.Id, m.Version, m.DisplayName, Path.GetFileName(m.ConfigPath), m.Grid == ModelGrid.Voxel ? "voxel" : "patientAxes",
        [.. m.OnnxPaths.Select(p => Path.GetRelativePath(folder, p))],
        [.. m.InputChannels.Select(c => new ChannelInfo(c.Id, c.Modality))],
        [.. m.Structures.Select(s => s.Name)]);

    public string ListText()
    {
        var rows = Models.Select(m => new[]
        {
            m.Id, m.Version, string.Join(", ", m.Channels.Select(c => $"{c.Id} ({c.Modality})")),
            $"{m.Structures.Count}: {string.Join(", ", m.Structures)}",
        }).ToList();
        return TextTable.Format(["ID", "VERSION", "CHANNELS", "STRUCTURES"], rows);
    }

    public string CheckText()
    {
        var w = new StringWriter(CultureInfo.InvariantCulture);
        foreach (var m in Models)
            w.WriteLine($"ok     {m.Id}:{m.Version} ({m.File}; {string.Join(", ", m.OnnxFiles)})");
        foreach (var file in Problems.Select(p => p.File).Distinct())
            w.WriteLine($"error  {Path.GetFileName(file)}: {string.Join("; ", Problems.Where(p => p.File == file).Select(p => p.Code).Distinct())}");
        w.WriteLine(Problems.Count == 0
            ? $"{Models.Count} model(s) load"
            : $"{Models.Count} model(s) load, {Problems.Count} problem(s) in {Problems.Select(p => p.File).Distinct().Count()} file(s)");
        return w.ToString();
    }
}
