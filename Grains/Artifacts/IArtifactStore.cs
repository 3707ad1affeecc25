namespace InnerEye.Grains.Artifacts;

/// <summary>An artifact and when it was last written.</summary>
public sealed record ArtifactInfo(ArtifactRef Ref, DateTimeOffset LastWritten, long Length);

/// <summary>
/// Inputs and results as blobs by key. Keys are relative paths of '/'-separated segments of letters, digits and
/// <c>-_.:</c> (no empty, <c>.</c> or <c>..</c> segment). Writes are atomic: a reader sees the whole old blob or the
/// whole new one, never part of one.
/// </summary>
public interface IArtifactStore
{
    /// <summary>Writes (or replaces) the blob at <paramref name="key"/>.</summary>
    Task<ArtifactRef> PutAsync(string key, Stream content, CancellationToken ct = default);

    /// <summary>
    /// Writes a new blob at <paramref name="key"/> (a key no other writer uses, read only once this returns) without
    /// waiting for it to reach the disk; <see cref="FlushAsync"/> does that later, for many blobs at once. A write cut
    /// short may leave part of the blob: the caller deletes it.
    /// </summary>
    Task<ArtifactRef> PutUnflushedAsync(string key, Stream content, CancellationToken ct = default);

    /// <summary>Returns once the blobs' bytes are on the disk (survive a power loss, not only the process).</summary>
    Task FlushAsync(IReadOnlyList<ArtifactRef> artifacts, CancellationToken ct = default);

    /// <summary>
    /// Writes the blob at <paramref name="key"/> unless one is there already; returns false (and leaves the existing
    /// one) when it was.
    /// </summary>
    Task<bool> PutIfAbsentAsync(string key, Stream content, CancellationToken ct = default);

    /// <summary>Whether a blob (or a folder of blobs) has the key.</summary>
    bool Exists(ArtifactRef artifact);

    /// <exception cref="FileNotFoundException">No blob has the key.</exception>
    Stream OpenRead(ArtifactRef artifact);

    /// <summary>A local file holding the blob, for readers that take a path (the volume loader).</summary>
    string LocalPath(ArtifactRef artifact);

    /// <summary>Removes the blob, or every blob under the key when it names a folder; nothing happens when there is none.</summary>
    Task DeleteAsync(ArtifactRef artifact, CancellationToken ct = default);

    /// <summary>Renames the blob to <paramref name="key"/>, replacing what was there, atomically.</summary>
    /// <exception cref="FileNotFoundException">No blob has the source key.</exception>
    Task<ArtifactRef> MoveAsync(ArtifactRef artifact, string key, CancellationToken ct = default);

    /// <summary>
    /// Makes <paramref name="key"/> hold the same bytes as the blob without copying where the store can (a hard link),
    /// replacing what was there. Deleting either key leaves the other whole.
    /// </summary>
    /// <exception cref="FileNotFoundException">No blob has the source key.</exception>
    Task<ArtifactRef> LinkAsync(ArtifactRef artifact, string key, CancellationToken ct = default);

    /// <summary>Every blob last written before <paramref name="cutoff"/>.</summary>
    IAsyncEnumerable<ArtifactInfo> ListOlderThan(DateTimeOffset cutoff, CancellationToken ct = default);
}
