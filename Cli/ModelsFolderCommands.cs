using System.CommandLine;
using System.Text.Json;
using InnerEye.Inference;

namespace InnerEye.Cli;

/// <summary>
/// <c>innereye models list DIR [--json]</c>: the models a folder holds; <c>innereye models check DIR [--json]</c>: each
/// configuration and its ONNX file(s) loaded as the service loads them at start (<see cref="ModelCatalog.Load"/>), every
/// problem named (exit 2).
/// </summary>
public static class ModelsFolderCommands
{
    private static readonly JsonSerializerOptions JsonOptions = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    public static Command CreateList() => Create("list",
        "List the models a folder holds: id, version, input channels and structures (exit 2 when a configuration cannot be read).",
        check: false);

    public static Command CreateCheck() => Create("check",
        "Load every model of a folder as the service does at start, its configuration and ONNX file(s) (exit 2 naming each problem).",
        check: true);

    private static Command Create(string name, string description, bool check)
    {
        var folder = new Argument<string>("DIR") { Description = "A models folder (one ID.json per model, beside its ONNX files)." };
        var json = new Option<bool>("--json") { Description = "Print one JSON object: the models and the problems." };
        var command = new Command(name, description) { folder, json };
        command.SetAction((r, _) => RunAsync(r.GetRequiredValue(folder), check, r.GetValue(json), r.Out(), r.Error()));
        return command;
    }

    private static async Task<int> RunAsync(string folder, bool check, bool json, TextWriter stdout, TextWriter stderr)
    {
        if (!Directory.Exists(folder))
        {
            await stderr.WriteLineAsync($"error [ModelFolderMissing]: the model folder {folder} does not exist.");
            return ExitCodes.InputProblem;
        }
        var inventory = ModelInventory.Read(folder, check);
        if (json)
        {
            await stdout.WriteLineAsync(JsonSerializer.Serialize(inventory, JsonOptions));
        }
        else
        {
            await stdout.WriteAsync(check ? inventory.CheckText() : inventory.ListText());
            foreach (var p in inventory.Problems) await stderr.WriteLineAsync($"error [{p.Code}]: {p.Message}");
        }
        if (inventory.Models.Count == 0 && inventory.Problems.Count == 0)
            await stderr.WriteLineAsync($"warning: the model folder {folder} holds no model configurations.");
        return inventory.Problems.Count == 0 ? ExitCodes.Ok : ExitCodes.InputProblem;
    }
}
