using System.Runtime.CompilerServices;
using InnerEye.Grains.Storage;

namespace InnerEye.Grains.Artifacts;

/// <summary>
/// Artifacts as files under a root folder (a local folder embedded, a shared volume in Kubernetes). A write goes to a
/// temporary file in the target's folder, is flushed to disk, then renamed over the target.
/// </summary>
public sealed class FileSystemArtifactStore : IArtifactStore
{
    private readonly StoragePermissions _permissions;

    public FileSystemArtifactStore(string root, StoragePermissions? permissions = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        Root = Path.GetFullPath(root);
        _permissions = permissions ?? StoragePermissions.Default;
        _permissions.EnsureFolder(Root);
    }

    public string Root { get; }

    public async Task<ArtifactRef> PutAsync(string key, Stream content, CancellationToken ct = default)
    {
        await WriteAsync(key, content, overwrite: true, ct).ConfigureAwait(false);
        return new ArtifactRef(key);
    }

    /// <summary>Written in place, under a key that must be new: no temporary file and rename for each of many small blobs.</summary>
    public async Task<ArtifactRef> PutUnflushedAsync(string key, Stream content, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        var path = PathOf(key);
        EnsureParent(path);
        await using (var file = _permissions.CreateNew(path))
            await content.CopyToAsync(file, ct).ConfigureAwait(false);
        return new ArtifactRef(key);
    }

    /// <summary>
    /// One <c>syncfs</c> of the store's file system for many files (one pass of the disk's cache, as a single large file's
    /// fsync costs), else an fsync of each file, several at a time.
    /// </summary>
    public async Task FlushAsync(IReadOnlyList<ArtifactRef> artifacts, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(artifacts);
        if (artifacts.Count == 0) return;
        if (artifacts.Count > 1 && await Task.Run(() => FileSystemSync.TrySync(PathOf(artifacts[0].Key)), ct).ConfigureAwait(false)) return;
        await Parallel.ForEachAsync(artifacts, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = ct }, (artifact, _) =>
        {
            using var handle = File.OpenHandle(PathOf(artifact.Key), FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            RandomAccess.FlushToDisk(handle);
            return ValueTask.CompletedTask;
        }).ConfigureAwait(false);
    }

    public Task<bool> PutIfAbsentAsync(string key, Stream content, CancellationToken ct = default) =>
        WriteAsync(key, content, overwrite: false, ct);

    public bool Exists(ArtifactRef artifact) => File.Exists(PathOf(artifact.Key)) || Directory.Exists(PathOf(artifact.Key));

    public Stream OpenRead(ArtifactRef artifact) =>
        new FileStream(PathOf(artifact.Key), FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 81920, useAsync: true);

    public string LocalPath(ArtifactRef artifact) => PathOf(artifact.Key);

    public Task DeleteAsync(ArtifactRef artifact, CancellationToken ct = default)
    {
        var path = PathOf(artifact.Key);
        if (Directory.Exists(path))
        {
            try
            {
                Directory.Delete(path, recursive: true);
            }
            catch (DirectoryNotFoundException)
            {
            }
        }
        else
        {
            File.Delete(path);
        }

        return Task.CompletedTask;
    }

    public Task<ArtifactRef> MoveAsync(ArtifactRef artifact, string key, CancellationToken ct = default)
    {
        var target = PathOf(key);
        EnsureParent(target);
        File.Move(PathOf(artifact.Key), target, overwrite: true);
        return Task.FromResult(new ArtifactRef(key));
    }

    public async Task<ArtifactRef> LinkAsync(ArtifactRef artifact, string key, CancellationToken ct = default)
    {
        var source = PathOf(artifact.Key);
        if (!File.Exists(source)) throw new FileNotFoundException($"No artifact '{artifact.Key}'.", source);
        var target = PathOf(key);
        EnsureParent(target);
        if (HardLink.TryCreate(source, target)) return new ArtifactRef(key);
        await using var content = OpenRead(artifact);
        return await PutAsync(key, content, ct).ConfigureAwait(false);
    }

    private void EnsureParent(string path)
    {
        var folder = Path.GetDirectoryName(path)!;
        if (!Directory.Exists(folder)) _permissions.EnsureFolder(folder);
    }

    public async IAsyncEnumerable<ArtifactInfo> ListOlderThan(DateTimeOffset cutoff, [EnumeratorCancellation] CancellationToken ct = default)
    {
        await Task.Yield();
        foreach (var file in Directory.EnumerateFiles(Root, "*", SearchOption.AllDirectories))
        {
            ct.ThrowIfCancellationRequested();
            if (file.EndsWith(AtomicFile.TempSuffix, StringComparison.Ordinal)) continue;
            var info = new FileInfo(file);
            if (!info.Exists) continue;
            var written = new DateTimeOffset(info.LastWriteTimeUtc, TimeSpan.Zero);
            if (written >= cutoff) continue;
            var key = Path.GetRelativePath(Root, file).Replace(Path.DirectorySeparatorChar, '/');
            yield return new ArtifactInfo(new ArtifactRef(key), written, info.Length);
        }
    }

    private Task<bool> WriteAsync(string key, Stream content, bool overwrite, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(content);
        return AtomicFile.WriteAsync(PathOf(key), content.CopyToAsync, _permissions, overwrite, ct);
    }

    /// <summary>The file for <paramref name="key"/>, after checking that the key stays inside the root.</summary>
    public string PathOf(string key)
    {
        ValidateKey(key);
        var full = Path.GetFullPath(Path.Combine(Root, key.Replace('/', Path.DirectorySeparatorChar)));
        if (!full.StartsWith(Root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            throw new ArgumentException($"Artifact key '{key}' leaves the store.", nameof(key));
        return full;
    }

    public static void ValidateKey(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.Length == 0 || key.Length > 512) throw new ArgumentException("An artifact key has 1 to 512 characters.", nameof(key));
        foreach (var segment in key.Split('/'))
        {
            if (segment.Length == 0 || segment == "." || segment == "..")
                throw new ArgumentException($"Artifact key '{key}' has an empty, '.' or '..' segment (keys are relative).", nameof(key));
            if (segment.EndsWith(AtomicFile.TempSuffix, StringComparison.Ordinal) || segment.StartsWith('.'))
                throw new ArgumentException($"Artifact key '{key}' has a segment starting with '.' or ending in '{AtomicFile.TempSuffix}'.",
                    nameof(key));
            foreach (var c in segment)
            {
                if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':'))
                    throw new ArgumentException($"Artifact key '{key}' has the character '{c}'; keys use letters, digits and -_.:/ only.",
                        nameof(key));
            }
        }
    }
}
