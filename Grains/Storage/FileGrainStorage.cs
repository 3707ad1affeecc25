using System.Buffers.Binary;
using System.Text;
using Orleans.Serialization;
using Orleans.Storage;

namespace InnerEye.Grains.Storage;

/// <summary>
/// Grain state as one file per grain and state name under a folder on local disk (the embedded single-process host):
/// state survives a restart of the process. A write goes to a temporary file that is flushed and renamed over the
/// old one, so a crash leaves the old state or the new one. ETags are checked as a database would.
/// </summary>
public sealed class FileGrainStorage : IGrainStorage
{
    private const uint Magic = 0x31534749; // "IGS1"
    private const int LockCount = 256;
    private readonly string _root;
    private readonly Serializer _serializer;

    // A fixed set of locks, one chosen by the file's path: a lock per path would be kept for every grain ever stored.
    private readonly SemaphoreSlim[] _locks = [.. Enumerable.Range(0, LockCount).Select(_ => new SemaphoreSlim(1, 1))];

    private readonly StoragePermissions _permissions;

    public FileGrainStorage(string root, Serializer serializer, StoragePermissions? permissions = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        _root = Path.GetFullPath(root);
        _serializer = serializer ?? throw new ArgumentNullException(nameof(serializer));
        _permissions = permissions ?? StoragePermissions.Default;
        _permissions.EnsureFolder(_root);
    }

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        LockedAsync(PathOf(stateName, grainId), async path =>
        {
            if (await ReadRecordAsync(path) is not { } record) return;
            grainState.State = _serializer.Deserialize<T>(record.Data);
            grainState.ETag = record.ETag;
            grainState.RecordExists = true;
        });

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        LockedAsync(PathOf(stateName, grainId), async path =>
        {
            await CheckETagAsync(path, stateName, grainId, grainState.ETag, allowMissing: false);
            var etag = Guid.NewGuid().ToString("N");
            await WriteRecordAsync(path, etag, _serializer.SerializeToArray(grainState.State));
            grainState.ETag = etag;
            grainState.RecordExists = true;
        });

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        LockedAsync(PathOf(stateName, grainId), async path =>
        {
            await CheckETagAsync(path, stateName, grainId, grainState.ETag, allowMissing: true);
            File.Delete(path);
            grainState.ETag = null;
            grainState.RecordExists = false;
        });

    /// <summary>The file of a grain's state: the state name's folder, and a hash of the grain id (ids may hold any character).</summary>
    public string PathOf(string stateName, GrainId grainId)
    {
        var hash = GrainFileName.Of(grainId);
        return Path.Combine(_root, Sanitize(stateName), hash[..2], hash + ".state");
    }

    private async Task LockedAsync(string path, Func<string, Task> action)
    {
        var gate = _locks[(uint)StringComparer.Ordinal.GetHashCode(path) % LockCount];
        await gate.WaitAsync();
        try
        {
            await action(path);
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>The caller's ETag must be the stored one (none for a new record; clearing a missing record is fine).</summary>
    private static async Task CheckETagAsync(string path, string stateName, GrainId grainId, string? given, bool allowMissing)
    {
        var stored = (await ReadRecordAsync(path))?.ETag;
        if (stored == given || (allowMissing && stored is null)) return;
        throw new InconsistentStateException($"ETag mismatch for {stateName} of {grainId}: stored {stored}, given {given}.", stored, given);
    }

    private static string Sanitize(string name) =>
        string.Concat(name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '_'));

    // Record: magic (4), ETag length (4) and UTF-8 ETag, then the serialized state.
    private static async Task<(string ETag, byte[] Data)?> ReadRecordAsync(string path)
    {
        byte[] bytes;
        try
        {
            bytes = await File.ReadAllBytesAsync(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
        if (bytes.Length < 8 || BinaryPrimitives.ReadUInt32LittleEndian(bytes) != Magic)
            throw new InvalidDataException($"{path} is not a grain state file.");
        var etagLength = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(4));
        if (etagLength < 0 || etagLength > bytes.Length - 8) throw new InvalidDataException($"{path} is truncated.");
        return (Encoding.UTF8.GetString(bytes, 8, etagLength), bytes[(8 + etagLength)..]);
    }

    private Task WriteRecordAsync(string path, string etag, byte[] data)
    {
        var etagBytes = Encoding.UTF8.GetBytes(etag);
        var header = new byte[8];
        BinaryPrimitives.WriteUInt32LittleEndian(header, Magic);
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(4), etagBytes.Length);
        return AtomicFile.WriteAsync(path, async (file, ct) =>
        {
            await file.WriteAsync(header, ct);
            await file.WriteAsync(etagBytes, ct);
            await file.WriteAsync(data, ct);
        }, _permissions);
    }
}
