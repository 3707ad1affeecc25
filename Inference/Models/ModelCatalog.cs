using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace InnerEye.Inference;

/// <summary>
/// Every model of a folder (<c>models/*.json</c>), validated and with its ONNX session created at start, so that a
/// missing or corrupt model stops the service at start rather than on the first request.
/// </summary>
public sealed class ModelCatalog
{
    private readonly Dictionary<string, ModelConfig> _byId;

    public ModelCatalog(IEnumerable<ModelConfig> models)
    {
        ArgumentNullException.ThrowIfNull(models);
        Models = [.. models.OrderBy(m => m.Id, StringComparer.Ordinal)];
        _byId = new Dictionary<string, ModelConfig>(StringComparer.Ordinal);
        foreach (var m in Models)
        {
            if (!_byId.TryAdd(m.Id, m)) throw new ArgumentException($"Model '{m.Id}' is listed twice.", nameof(models));
        }
    }

    public IReadOnlyList<ModelConfig> Models { get; }

    /// <summary>
    /// Loads every <c>*.json</c> in <paramref name="folder"/>, checks each ONNX file and keeps its session in
    /// <paramref name="sessions"/>; without sessions (a front end that runs no model) only the configurations are
    /// read and checked. Throws one <see cref="ModelLoadException"/> naming every file at fault.
    /// </summary>
    public static ModelCatalog Load(string folder, ModelSessionCache? sessions, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(folder);
        logger ??= NullLogger.Instance;
        if (!Directory.Exists(folder))
            throw new ModelLoadException("ModelFolderMissing", folder, $"The model folder {folder} does not exist.");
        var models = new List<ModelConfig>();
        var failures = new List<ModelLoadException>();
        foreach (var file in Directory.GetFiles(folder, "*.json").Order(StringComparer.Ordinal))
        {
            try
            {
                var model = ModelConfigLoader.Load(file, sessions);
                models.Add(model);
                if (sessions is null) logger.LogInformation("Read model {Model} from {File}.", model.FullId, file);
                else logger.LogInformation("Loaded model {Model} from {File} on {Device}.", model.FullId, file, sessions.Get(model).Device);
            }
            catch (ModelLoadException e)
            {
                failures.Add(e);
            }
        }
        if (failures.Count == 1) throw failures[0];
        if (failures.Count > 1)
        {
            throw new ModelLoadException("ModelCatalogInvalid", failures[0].File, string.Join(" ", failures.Select(f => f.Message)),
                new AggregateException(failures));
        }

        if (models.Count == 0) logger.LogWarning("The model folder {Folder} holds no model configurations.", folder);
        return new ModelCatalog(models);
    }

    /// <summary>
    /// The model for <c>Id</c> or <c>Id:Version</c>.
    /// </summary>
    /// <exception cref="ModelNotFoundException">No model has the id.</exception>
    /// <exception cref="ModelVersionMismatchException">The model is loaded in another version.</exception>
    public ModelConfig Find(string requested)
    {
        ArgumentNullException.ThrowIfNull(requested);
        var colon = requested.IndexOf(':', StringComparison.Ordinal);
        var id = colon < 0 ? requested : requested[..colon];
        if (!_byId.TryGetValue(id, out var model)) throw new ModelNotFoundException(requested, [.. Models.Select(m => m.FullId)]);
        if (colon >= 0)
        {
            var version = requested[(colon + 1)..];
            if (version != model.Version) throw new ModelVersionMismatchException(requested, id, version, model.Version);
        }
        return model;
    }

    public bool TryFind(string requested, out ModelConfig? model)
    {
        try
        {
            model = Find(requested);
            return true;
        }
        catch (InferenceException)
        {
            model = null;
            return false;
        }
    }
}
