using System.Collections.Concurrent;
using Orleans.Serialization;
using Orleans.Storage;

namespace InnerEye.Grains.Tests.Support;

/// <summary>
/// Grain storage kept outside the silos (one dictionary for the whole in-process cluster), so that state survives
/// killing a silo, as a real database does. Checks ETags like one.
/// </summary>
public sealed class SharedGrainStorage(ConcurrentDictionary<string, (string ETag, byte[] Data)> records, Serializer serializer) : IGrainStorage
{
    private static readonly Lock Gate = new();

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        if (records.TryGetValue(Key(stateName, grainId), out var record))
        {
            grainState.State = serializer.Deserialize<T>(record.Data);
            grainState.ETag = record.ETag;
            grainState.RecordExists = true;
        }
        return Task.CompletedTask;
    }

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var key = Key(stateName, grainId);
        lock (Gate)
        {
            var stored = records.TryGetValue(key, out var record) ? record.ETag : null;
            if (stored != grainState.ETag) throw new InconsistentStateException(
                $"ETag mismatch for {key}: stored {stored}, given {grainState.ETag}.");
            var etag = Guid.NewGuid().ToString("N");
            records[key] = (etag, serializer.SerializeToArray(grainState.State));
            grainState.ETag = etag;
            grainState.RecordExists = true;
        }
        return Task.CompletedTask;
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var key = Key(stateName, grainId);
        lock (Gate)
        {
            var stored = records.TryGetValue(key, out var record) ? record.ETag : null;
            if (stored != grainState.ETag) throw new InconsistentStateException(
                $"ETag mismatch for {key}: stored {stored}, given {grainState.ETag}.");
            records.TryRemove(key, out _);
            grainState.ETag = null;
            grainState.RecordExists = false;
        }
        return Task.CompletedTask;
    }

    public bool Contains(string stateName, GrainId grainId) => records.ContainsKey(Key(stateName, grainId));

    private static string Key(string stateName, GrainId grainId) => $"{stateName}/{grainId}";
}
