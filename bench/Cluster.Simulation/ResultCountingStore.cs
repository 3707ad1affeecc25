using InnerEye.Grains;
using InnerEye.Grains.Artifacts;

namespace InnerEye.Cluster.Simulation;

/// <summary>The service's file store, telling the ledger of every result it writes (a second write of one is a fault).</summary>
public sealed class ResultCountingStore(string root, JobLedger ledger) : IArtifactStore
{
    private readonly FileSystemArtifactStore _inner = new(root);

    public Task<ArtifactRef> PutAsync(string key, Stream content, CancellationToken ct = default) => _inner.PutAsync(key, content, ct);

    public async Task<bool> PutIfAbsentAsync(string key, Stream content, CancellationToken ct = default)
    {
        var written = await _inner.PutIfAbsentAsync(key, content, ct);
        if (written && JobIds.OfResultKey(key) is { } job) ledger.ResultWritten(job);
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
