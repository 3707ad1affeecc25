using System.Text.Json;

namespace InnerEye.Grains.Storage;

/// <summary>
/// Durable reminders on local disk for the embedded single-process host: one small JSON file per grain, written
/// atomically (temporary file, flush, rename). The rows are kept in memory too, loaded once at start, so range reads
/// (the reminder service asks for its hash range at start and when membership changes) do not touch the disk.
/// </summary>
public sealed class FileReminderTable : IReminderTable
{
    private readonly string _root;
    private readonly Dictionary<GrainId, Dictionary<string, ReminderEntry>> _rows = [];
    private readonly SemaphoreSlim _gate = new(1, 1);
    private bool _loaded;

    private readonly StoragePermissions _permissions;

    public FileReminderTable(string root, StoragePermissions? permissions = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        _root = Path.GetFullPath(root);
        _permissions = permissions ?? StoragePermissions.Default;
    }

    public async Task Init()
    {
        await _gate.WaitAsync();
        try
        {
            if (_loaded) return;
            _permissions.EnsureFolder(_root);
            foreach (var file in Directory.EnumerateFiles(_root, "*.json"))
            {
                var rows = JsonSerializer.Deserialize<List<StoredReminder>>(await File.ReadAllBytesAsync(file)) ?? [];
                foreach (var row in rows)
                {
                    var entry = row.ToEntry();
                    RowOf(entry.GrainId)[entry.ReminderName] = entry;
                }
            }
            _loaded = true;
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task<ReminderEntry?> ReadRow(GrainId grainId, string reminderName)
    {
        await EnsureLoadedAsync();
        await _gate.WaitAsync();
        try
        {
            return _rows.TryGetValue(grainId, out var row) && row.TryGetValue(reminderName, out var entry) ? Copy(entry) : null;
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task<ReminderTableData> ReadRows(GrainId grainId)
    {
        await EnsureLoadedAsync();
        await _gate.WaitAsync();
        try
        {
            return new ReminderTableData(_rows.TryGetValue(grainId, out var row) ? row.Values.Select(Copy).ToList() : []);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Rows whose grain hash is in (begin, end], the range wrapping round when begin ≥ end.</summary>
    public async Task<ReminderTableData> ReadRows(uint begin, uint end)
    {
        await EnsureLoadedAsync();
        await _gate.WaitAsync();
        try
        {
            return new ReminderTableData(_rows.Values.SelectMany(r => r.Values)
                .Where(e => InRange(e.GrainId.GetUniformHashCode(), begin, end)).Select(Copy).ToList());
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task<string?> UpsertRow(ReminderEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        await EnsureLoadedAsync();
        await _gate.WaitAsync();
        try
        {
            var row = RowOf(entry.GrainId);
            var stored = Copy(entry);
            stored.ETag = Guid.NewGuid().ToString("N");
            var before = row.TryGetValue(entry.ReminderName, out var old) ? old : null;
            row[entry.ReminderName] = stored;
            try
            {
                await SaveAsync(entry.GrainId, row);
            }
            catch
            {
                if (before is null) row.Remove(entry.ReminderName);
                else row[entry.ReminderName] = before;
                throw;
            }
            return stored.ETag;
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task<bool> RemoveRow(GrainId grainId, string reminderName, string eTag)
    {
        await EnsureLoadedAsync();
        await _gate.WaitAsync();
        try
        {
            if (!_rows.TryGetValue(grainId, out var row) || !row.TryGetValue(reminderName, out var entry) || entry.ETag != eTag) return false;
            row.Remove(reminderName);
            try
            {
                await SaveAsync(grainId, row);
            }
            catch
            {
                row[reminderName] = entry;
                throw;
            }
            if (row.Count == 0) _rows.Remove(grainId);
            return true;
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task TestOnlyClearTable()
    {
        await _gate.WaitAsync();
        try
        {
            _rows.Clear();
            if (Directory.Exists(_root))
            {
                foreach (var file in Directory.EnumerateFiles(_root, "*.json")) File.Delete(file);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    private Dictionary<string, ReminderEntry> RowOf(GrainId grainId)
    {
        if (!_rows.TryGetValue(grainId, out var row)) _rows[grainId] = row = new Dictionary<string, ReminderEntry>(StringComparer.Ordinal);
        return row;
    }

    internal static bool InRange(uint hash, uint begin, uint end) =>
        begin < end ? hash > begin && hash <= end : hash > begin || hash <= end;

    private async Task EnsureLoadedAsync()
    {
        if (!_loaded) await Init();
    }

    private async Task SaveAsync(GrainId grainId, Dictionary<string, ReminderEntry> row)
    {
        var path = Path.Combine(_root, GrainFileName.Of(grainId) + ".json");
        if (row.Count == 0)
        {
            File.Delete(path);
            return;
        }
        var rows = row.Values.Select(StoredReminder.From).ToList();
        await AtomicFile.WriteAsync(path, (file, ct) => JsonSerializer.SerializeAsync(file, rows, cancellationToken: ct), _permissions);
    }

    private static ReminderEntry Copy(ReminderEntry e) => new()
    {
        GrainId = e.GrainId,
        ReminderName = e.ReminderName,
        StartAt = e.StartAt,
        Period = e.Period,
        ETag = e.ETag,
    };

    private sealed record StoredReminder(string GrainId, string Name, DateTime StartAt, long PeriodTicks, string? ETag)
    {
        public static StoredReminder From(ReminderEntry e) => new(e.GrainId.ToString(), e.ReminderName, e.StartAt, e.Period.Ticks, e.ETag);

        public ReminderEntry ToEntry() => new()
        {
            GrainId = Orleans.Runtime.GrainId.Parse(GrainId),
            ReminderName = Name,
            StartAt = StartAt,
            Period = TimeSpan.FromTicks(PeriodTicks),
            ETag = ETag,
        };
    }
}
