namespace InnerEye.Grains.Storage;

/// <summary>How stored uploads, results and state are protected and cleaned (configuration section <c>Storage</c>).</summary>
public sealed class StorageOptions
{
    /// <summary>Root of the artifacts and the local-disk state (read by <see cref="Hosting.SiloSettings"/>).</summary>
    public string? Path { get; set; }

    /// <summary>Octal mode of every file written (uploads, results, state, reminders).</summary>
    public string FileMode { get; set; } = "600";

    /// <summary>Octal mode of every folder created.</summary>
    public string FolderMode { get; set; } = "700";

    /// <summary>Keep the upload of a job that failed or was cancelled (for debugging), for <see cref="FailedUploadRetention"/>.</summary>
    public bool KeepFailedUploads { get; set; }

    public TimeSpan FailedUploadRetention { get; set; } = TimeSpan.FromDays(1);

    /// <summary>
    /// A temporary (<c>.partial</c>) file not written to for this long is left over from a crash and is deleted; it
    /// must exceed the longest pause in a live write (an upload's, bounded by <c>Api:UploadTimeout</c>).
    /// </summary>
    public TimeSpan TempFileMaxAge { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>How often leftover temporary files and orphaned uploads are looked for.</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromMinutes(5);

    public StoragePermissions Permissions() =>
        new(StoragePermissions.ParseMode(FileMode, "Storage:FileMode"), StoragePermissions.ParseMode(FolderMode, "Storage:FolderMode"));

    /// <summary>Every problem with the settings, each naming its setting.</summary>
    public IEnumerable<string> Validate()
    {
        foreach (var (setting, text, needed) in new[]
                 {
                     ("Storage:FileMode", FileMode, UnixFileMode.UserRead | UnixFileMode.UserWrite),
                     ("Storage:FolderMode", FolderMode, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute),
                 })
        {
            UnixFileMode? mode = null;
            string? error = null;
            try
            {
                mode = StoragePermissions.ParseMode(text, setting);
            }
            catch (FormatException e)
            {
                error = e.Message;
            }
            if (error is not null) yield return error;
            else if ((mode!.Value & needed) != needed) yield return $"{setting} is '{text}'; the service's own user needs " +
                $"{Convert.ToString((int)needed, 8)} at least.";
            else if ((mode.Value & (UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute)) != 0)
                yield return $"{setting} is '{text}'; patient data must not be open to every local user (no 'other' bits).";
        }
        if (FailedUploadRetention <= TimeSpan.Zero) yield return "Storage:FailedUploadRetention must be positive.";
        if (TempFileMaxAge < TimeSpan.FromMinutes(1)) yield return "Storage:TempFileMaxAge must be at least 00:01:00.";
        if (SweepInterval <= TimeSpan.Zero) yield return "Storage:SweepInterval must be positive.";
    }
}
