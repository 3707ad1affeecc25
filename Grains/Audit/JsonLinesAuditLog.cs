using System.Globalization;
using InnerEye.Grains.Storage;

namespace InnerEye.Grains.Audit;

/// <summary>
/// The audit trail as JSON lines, one file a UTC day: <c>&lt;yyyy-MM-dd&gt;.jsonl</c> for the front end, and
/// <c>&lt;yyyy-MM-dd&gt;.&lt;writer&gt;.jsonl</c> for a process that writes without serving HTTP (a silo). Each file has
/// one writing process, which writes each record with one unbuffered append (one <c>write</c> call to a file opened
/// with <c>O_APPEND</c>), under a lock: the record is in the kernel's page cache when <see cref="Write"/> returns, so it
/// survives the process being killed, and no two records' bytes interleave. Files are never truncated.
/// </summary>
public sealed class JsonLinesAuditLog : IAuditLog, IDisposable
{
    private readonly string? _writer;
    private readonly TextWriter? _stdout;
    private readonly StoragePermissions _permissions;
    private readonly Lock _lock = new();
    private FileStream? _file;
    private DateOnly _day;

    /// <param name="folder">Where the files go.</param>
    /// <param name="writer">Null for the front end; else the process's name, part of each file name.</param>
    /// <param name="stdout">Where each record is also written (its line), or null.</param>
    public JsonLinesAuditLog(string folder, string? writer, TextWriter? stdout, StoragePermissions permissions)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        Folder = Path.GetFullPath(folder);
        _writer = writer;
        _stdout = stdout;
        _permissions = permissions ?? StoragePermissions.Default;
        _permissions.EnsureFolder(Folder);
    }

    public string Folder { get; }

    /// <summary>The file a record of <paramref name="day"/> goes to.</summary>
    public string FileOf(DateOnly day) =>
        Path.Combine(Folder, $"{day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}{(_writer is null ? "" : "." + _writer)}.jsonl");

    public void Write(AuditRecord record)
    {
        var line = AuditRecordJson.ToLine(record);
        var day = DateOnly.FromDateTime(record.Time.UtcDateTime);
        lock (_lock)
        {
            if (_file is null || day != _day)
            {
                _file?.Dispose();
                _file = Open(FileOf(day));
                _day = day;
            }
            _file.Write(line);
            _file.Flush();
        }
        if (_stdout is { } stdout)
        {
            lock (stdout) stdout.Write(System.Text.Encoding.UTF8.GetString(line));
        }
    }

    private FileStream Open(string path)
    {
        var options = new FileStreamOptions
        {
            Mode = FileMode.Append,
            Access = FileAccess.Write,
            Share = FileShare.ReadWrite,
            BufferSize = 0,
        };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = _permissions.File;
        return new FileStream(path, options);
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _file?.Dispose();
            _file = null;
        }
    }
}
