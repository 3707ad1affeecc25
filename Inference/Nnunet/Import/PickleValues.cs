namespace InnerEye.Inference.Nnunet.Import;

/// <summary>A Python global (class or function) named by a pickle: a name only, never looked up.</summary>
public sealed record PickleGlobal(string Module, string Name)
{
    public override string ToString() => $"{Module}.{Name}";
}

/// <summary>
/// An object a pickle would build by calling <see cref="Callable"/> (REDUCE, NEWOBJ): kept as a placeholder with its
/// arguments and the state BUILD gave it; nothing is called.
/// </summary>
public sealed class PickleObject(object? callable, IReadOnlyList<object?> arguments)
{
    public object? Callable { get; } = callable;

    public IReadOnlyList<object?> Arguments { get; } = arguments;

    public object? State { get; internal set; }

    public override string ToString() => $"{Callable}(…)";
}

/// <summary>A persistent id (torch: a tensor's storage in the archive), as the pickle holds it.</summary>
public sealed record PicklePersistentId(object? Id);

/// <summary>A Python dict in insertion order; a key set twice keeps its first position and its last value.</summary>
public sealed class PickleDictionary
{
    private static readonly object NoneKey = new();
    private readonly List<KeyValuePair<object?, object?>> _entries = [];
    private readonly Dictionary<object, int> _index = [];

    public IReadOnlyList<KeyValuePair<object?, object?>> Entries => _entries;

    public int Count => _entries.Count;

    public bool ContainsKey(string key) => _index.ContainsKey(key);

    public bool TryGetValue(string key, out object? value)
    {
        if (_index.TryGetValue(key, out var i))
        {
            value = _entries[i].Value;
            return true;
        }
        value = null;
        return false;
    }

    internal void Set(object? key, object? value)
    {
        var indexKey = key ?? NoneKey;
        if (_index.TryGetValue(indexKey, out var i))
        {
            _entries[i] = new(_entries[i].Key, value);
            return;
        }
        _index[indexKey] = _entries.Count;
        _entries.Add(new(key, value));
    }
}
