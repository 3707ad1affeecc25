namespace InnerEye.Grains.Storage;

/// <summary>
/// The modes of what the service writes (uploads, results, job state, reminders: patient data): by default readable by
/// the service's own user only. On platforms without Unix modes nothing is applied.
/// </summary>
public sealed record StoragePermissions(UnixFileMode File, UnixFileMode Folder)
{
    public static readonly StoragePermissions Default = new(
        UnixFileMode.UserRead | UnixFileMode.UserWrite,
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

    /// <summary>Creates the folder (and its missing parents) with the folder mode, and sets that mode on it if it was there.</summary>
    public void EnsureFolder(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
            return;
        }
        var missing = new Stack<string>();
        for (var folder = Path.GetFullPath(path); !Directory.Exists(folder); folder = Path.GetDirectoryName(folder)!) missing.Push(folder);
        // Created one by one: Directory.CreateDirectory gives missing parents the default mode.
        while (missing.TryPop(out var folder)) Directory.CreateDirectory(folder, Folder);
        if (System.IO.File.GetUnixFileMode(path) != Folder) System.IO.File.SetUnixFileMode(path, Folder);
    }

    /// <summary>A new file opened for writing, created with the file mode.</summary>
    public FileStream CreateNew(string path, int bufferSize = 81920)
    {
        var options = new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            Share = FileShare.None,
            BufferSize = bufferSize,
            Options = FileOptions.Asynchronous,
        };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = File;
        return new FileStream(path, options);
    }

    /// <summary>Parses an octal mode such as <c>600</c> or <c>0640</c>.</summary>
    public static UnixFileMode ParseMode(string text, string setting)
    {
        var trimmed = text.Trim();
        if (trimmed.Length is 0 or > 4 || trimmed.Any(c => c is < '0' or > '7'))
            throw new FormatException($"{setting} is '{text}'; expected an octal mode such as 600.");
        return (UnixFileMode)Convert.ToInt32(trimmed, 8);
    }
}
