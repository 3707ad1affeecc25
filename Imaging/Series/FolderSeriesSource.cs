namespace InnerEye.Imaging.Series;

/// <summary>A folder of DICOM files; each sub-folder is a channel, as in the gateway's zip.</summary>
public sealed class FolderSeriesSource : ISeriesSource
{
    private readonly string _root;
    private readonly SeriesLoadOptions _options;

    public FolderSeriesSource(string root, SeriesLoadOptions options)
    {
        _root = Path.GetFullPath(root);
        _options = options;
        Entries = Directory.EnumerateFiles(_root, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(_root, f).Replace(Path.DirectorySeparatorChar, '/'))
            .Order(StringComparer.Ordinal)
            .Select(name => new SeriesEntry(SeriesSources.ChannelOf(name), name, new FileInfo(Path.Combine(_root, name)).Length))
            .ToList();
    }

    public IReadOnlyList<SeriesEntry> Entries { get; }

    public void Read(int start, int end, Action<int, byte[], int> visit)
    {
        var buffer = Array.Empty<byte>();
        for (var i = start; i < end; i++)
        {
            var entry = Entries[i];
            if (entry.DeclaredSize > _options.MaxEntryBytes)
                throw new ImagingException("EntryTooLarge", $"'{entry.Name}' is {entry.DeclaredSize} bytes, more than the {_options.MaxEntryBytes}-byte limit for one file.");
            using var handle = File.OpenHandle(Path.Combine(_root, entry.Name));
            var length = (int)RandomAccess.GetLength(handle);
            if (buffer.Length < length) buffer = new byte[length];
            var read = 0;
            while (read < length)
            {
                var n = RandomAccess.Read(handle, buffer.AsSpan(read, length - read), read);
                if (n == 0) break;
                read += n;
            }
            visit(i, buffer, read);
        }
    }
}
