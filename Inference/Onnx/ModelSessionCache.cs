using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace InnerEye.Inference;

/// <summary>
/// One <see cref="OnnxModelSession"/> per model for the device these options choose, created on first use and
/// shared by every run after. Thread-safe; a session that fails to load is not cached, so a later call tries again.
/// </summary>
public sealed class ModelSessionCache(InferenceOptions options, ILogger? logger = null) : IDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<OnnxModelSession>> _sessions = new(StringComparer.Ordinal);
    private bool _disposed;

    public InferenceOptions Options { get; } = options ?? throw new ArgumentNullException(nameof(options));

    public int Count => _sessions.Count;

    /// <summary>The session for <paramref name="model"/>, created (and its ONNX file checked) on first call.</summary>
    public OnnxModelSession Get(ModelConfig model) => Get(model, model?.OnnxPath!);

    /// <summary>One session per ONNX file of the model (the folds of an ensemble), in the configuration's order.</summary>
    public IReadOnlyList<OnnxModelSession> GetAll(ModelConfig model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return [.. model.OnnxPaths.Select(p => Get(model, p))];
    }

    private OnnxModelSession Get(ModelConfig model, string path)
    {
        ArgumentNullException.ThrowIfNull(model);
        ObjectDisposedException.ThrowIf(_disposed, this);
        var key = $"{model.FullId}\n{path}\n{model.OnnxInput}\n{model.OnnxOutput}";
        var lazy = _sessions.GetOrAdd(key, _ => new Lazy<OnnxModelSession>(() => OnnxModelSession.Create(model, Options, logger, path),
            LazyThreadSafetyMode.ExecutionAndPublication));
        try
        {
            return lazy.Value;
        }
        catch
        {
            _sessions.TryRemove(new KeyValuePair<string, Lazy<OnnxModelSession>>(key, lazy));
            throw;
        }
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        foreach (var lazy in _sessions.Values)
        {
            if (lazy.IsValueCreated) lazy.Value.Dispose();
        }
        _sessions.Clear();
    }
}
