using InnerEye.Imaging.Zip;

namespace InnerEye.Imaging.Series;

/// <summary>
/// A zip in the gateway layout (<c>ct/0</c>, <c>ct/1</c>, …). The central directory is read once and checked (entry
/// count, names, sizes, offsets) before any entry is inflated; each entry is then verified as it is read (local header,
/// exact size, CRC-32), so that no damaged byte reaches the DICOM reader.
/// </summary>
public sealed class ZipSeriesSource : ISeriesSource
{
    private readonly string _path;
    private readonly List<ZipEntryRecord> _records = [];
    private readonly long _dataEnd;

    public ZipSeriesSource(string path, SeriesLoadOptions options)
    {
        _path = path;
        var (records, dataEnd) = ZipCentralDirectory.Read(path, options.Zip);
        _dataEnd = dataEnd;
        var entries = new List<SeriesEntry>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        long total = 0;
        foreach (var record in records)
        {
            var name = record.Name.Replace('\\', '/');
            if (record.IsDirectory) continue;
            CheckName(name);
            if (!names.Add(name))
                throw new ImagingException("DuplicateEntryName", $"The zip holds two entries named '{name}'; which one is meant cannot be told.");
            if (record.UncompressedSize > options.MaxEntryBytes)
                throw new ImagingException("EntryTooLarge",
                    $"Zip entry '{name}' inflates to {record.UncompressedSize} bytes, more than the {options.MaxEntryBytes}-byte " +
                    "limit for one file.");
            total += record.UncompressedSize;
            if (total > options.MaxTotalBytes)
                throw new ImagingException("UploadTooLarge", $"The zip inflates to more than the {options.MaxTotalBytes}-byte limit.");
            entries.Add(new SeriesEntry(SeriesSources.ChannelOf(name), name, record.UncompressedSize));
            _records.Add(record);
        }
        Entries = entries;
    }

    public IReadOnlyList<SeriesEntry> Entries { get; }

    public void Read(int start, int end, Action<int, byte[], int> visit)
    {
        using var file = File.OpenHandle(_path, FileMode.Open, FileAccess.Read, FileShare.Read);
        var reader = new ZipEntryReader(file, _dataEnd);
        for (var i = start; i < end; i++)
        {
            var (buffer, length) = reader.Read(_records[i]);
            visit(i, buffer, length);
        }
    }

    private static void CheckName(string name)
    {
        var parts = name.Split('/');
        if (name.StartsWith('/') || name.Contains(':') || parts.Any(p => p is ".." or "."))
            throw new ImagingException("UnsafeEntryName",
                $"Zip entry name '{name}' points outside the upload (absolute path, drive or '..'); such zips are refused.");
    }
}
