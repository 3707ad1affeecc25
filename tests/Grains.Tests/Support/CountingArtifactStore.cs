using System.Collections.Concurrent;
using InnerEye.Grains.Artifacts;

namespace InnerEye.Grains.Tests.Support;

/// <summary>A filesystem store that counts the blobs written under each key.</summary>
public sealed class CountingArtifactStore(string root) : IArtifactStore
{
    private readonly FileSystemArtifactStore _inner = new(root);
    private readonly ConcurrentDictionary<string, int> _writes = new(StringComparer.Ordinal);

    public int Writes(string key) => _writes.TryGetValue(key, out var n) ? n : 0;

    public async Task<ArtifactRef> PutAsync(string key, Stream content, CancellationToken ct = default)
    {
        var r = await _inner.PutAsync(key, content, ct);
        _writes.AddOrUpdate(key, 1, (_, n) => n + 1);
        return r;
    }

    public async Task<bool> PutIfAbsentAsync(string key, Stream content, CancellationToken ct = default)
    {
        var written = await _inner.PutIfAbsentAsync(key, content, ct);
        if (written) _writes.AddOrUpdate(key, 1, (_, n) => n + 1);
        return written;
    }

    public bool Exists(ArtifactRef artifact) => _inner.Exists(artifact);

    public Stream OpenRead(ArtifactRef artifact) => _inner.OpenRead(artifact);

    public string LocalPath(ArtifactRef artifact) => _inner.LocalPath(artifact);

    public Task DeleteAsync(ArtifactRef artifact, CancellationToken ct = default) => _inner.DeleteAsync(artifact, ct);

    public Task<ArtifactRef> PutUnflushedAsync(string key, Stream content, CancellationToken ct = default) =>
        _inner.PutUnflushedAsync(key, content, ct);

    public Task FlushAsync(IReadOnlyList<ArtifactRef> artifacts, CancellationToken ct = default) => _inner.FlushAsync(artifacts, ct);

    public Task<ArtifactRef> MoveAsync(ArtifactRef artifact, string key, CancellationToken ct = default) => _inner.MoveAsync(artifact, key, ct);

    public Task<ArtifactRef> LinkAsync(ArtifactRef artifact, string key, CancellationToken ct = default) => _inner.LinkAsync(artifact, key, ct);

    public IAsyncEnumerable<ArtifactInfo> ListOlderThan(DateTimeOffset cutoff, CancellationToken ct = default) => _inner.ListOlderThan(cutoff, ct);
}
