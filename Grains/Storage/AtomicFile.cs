namespace InnerEye.Grains.Storage;

/// <summary>
/// Writes a file so that a reader, or a crash, sees the whole old file or the whole new one: the content goes to a
/// temporary file in the target's folder, is flushed to disk, then renamed over the target.
/// </summary>
internal static class AtomicFile
{
    /// <summary>Ends the name of a temporary file while it is written.</summary>
    public const string TempSuffix = ".partial";

    /// <summary>
    /// Writes <paramref name="path"/> with <paramref name="write"/>, as a file (and folders) with <paramref name="permissions"/>. Without
    /// <paramref name="overwrite"/> an existing
    /// file stays and the result is false; of two concurrent writers one wins.
    /// </summary>
    public static async Task<bool> WriteAsync(string path, Func<Stream, CancellationToken, Task> write, StoragePermissions permissions,
        bool overwrite = true, CancellationToken ct = default, bool flushToDisk = true)
    {
        var folder = Path.GetDirectoryName(path)!;
        if (!Directory.Exists(folder)) permissions.EnsureFolder(folder);
        if (!overwrite && File.Exists(path)) return false;
        var temp = Path.Combine(folder, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}{TempSuffix}");
        try
        {
            await using (var file = permissions.CreateNew(temp))
            {
                await write(file, ct).ConfigureAwait(false);
                await file.FlushAsync(ct).ConfigureAwait(false);
                if (flushToDisk) file.Flush(flushToDisk: true);
            }
            if (overwrite)
            {
                File.Move(temp, path, overwrite: true);
                return true;
            }
            try
            {
                // Without overwrite the move fails when the target exists (on Unix .NET links, then unlinks the source).
                File.Move(temp, path, overwrite: false);
                return true;
            }
            catch (IOException) when (File.Exists(path))
            {
                return false;
            }
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }
}
