using System.Buffers;

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
        // Pooled: consecutive loads (and a whole-series multi-frame file's 100 MB and more) reuse memory instead of
        // faulting in fresh pages for every file.
        var buffer = Array.Empty<byte>();
        try
        {
            for (var i = start; i < end; i++)
            {
                var entry = Entries[i];
                if (entry.DeclaredSize > _options.MaxEntryBytes)
                    throw new ImagingException("EntryTooLarge",
                        $"'{entry.Name}' is {entry.DeclaredSize} bytes, more than the {_options.MaxEntryBytes}-byte limit for one file.");
                using var handle = File.OpenHandle(Path.Combine(_root, entry.Name));
                var length = (int)RandomAccess.GetLength(handle);
                if (buffer.Length < length)
                {
                    var smaller = buffer;
                    buffer = [];
                    if (smaller.Length > 0) ArrayPool<byte>.Shared.Return(smaller);
                    buffer = ArrayPool<byte>.Shared.Rent(length);
                }
                var read = length >= ParallelReadBytes && _options.MaxDegreeOfParallelism > 1
                    ? ReadInParallel(handle, buffer, length)
                    : ReadRange(handle, buffer, 0, length);
                visit(i, buffer, read);
            }
        }
        finally
        {
            if (buffer.Length > 0) ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Files this large (a multi-frame image may hold a whole series) are read in chunks on several cores.</summary>
    private const int ParallelReadBytes = 16 << 20;
    private const int ChunkBytes = 4 << 20;

    private int ReadInParallel(Microsoft.Win32.SafeHandles.SafeFileHandle handle, byte[] buffer, int length)
    {
        var chunks = (length + ChunkBytes - 1) / ChunkBytes;
        var complete = true;
        Parallel.For(0, chunks, new ParallelOptions { MaxDegreeOfParallelism = _options.MaxDegreeOfParallelism }, c =>
        {
            var start = c * ChunkBytes;
            var end = Math.Min(start + ChunkBytes, length);
            if (ReadRange(handle, buffer, start, end) != end) complete = false;
        });
        // A file that shrank while it was read: fall back to one pass, which stops where the file ends.
        return complete ? length : ReadRange(handle, buffer, 0, length);
    }

    /// <summary>Reads [start, end) of the file; returns where reading stopped (end, or earlier at the end of the file).</summary>
    private static int ReadRange(Microsoft.Win32.SafeHandles.SafeFileHandle handle, byte[] buffer, int start, int end)
    {
        var read = start;
        while (read < end)
        {
            var n = RandomAccess.Read(handle, buffer.AsSpan(read, end - read), read);
            if (n == 0) break;
            read += n;
        }
        return read;
    }
}
