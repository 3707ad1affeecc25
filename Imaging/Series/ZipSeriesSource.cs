using System.IO.Compression;

namespace InnerEye.Imaging.Series;

/// <summary>
/// A zip in the gateway layout (<c>ct/0</c>, <c>ct/1</c>, …). Entry names are checked before anything is read, and
/// no entry is inflated past the size its header declares or the configured limits.
/// </summary>
public sealed class ZipSeriesSource : ISeriesSource
{
    private readonly string _path;
    private readonly SeriesLoadOptions _options;
    private readonly List<int> _archiveIndex = [];

    public ZipSeriesSource(string path, SeriesLoadOptions options)
    {
        _path = path;
        _options = options;
        var entries = new List<SeriesEntry>();
        try
        {
            using var archive = ZipFile.OpenRead(path);
            long total = 0;
            for (var i = 0; i < archive.Entries.Count; i++)
            {
                var entry = archive.Entries[i];
                var name = entry.FullName.Replace('\\', '/');
                if (name.EndsWith('/')) continue;
                CheckName(name);
                if (entry.Length > options.MaxEntryBytes)
                    throw new ImagingException("EntryTooLarge", $"Zip entry '{name}' inflates to {entry.Length} bytes, more than the {options.MaxEntryBytes}-byte limit for one file.");
                total += entry.Length;
                if (total > options.MaxTotalBytes)
                    throw new ImagingException("UploadTooLarge", $"The zip inflates to more than the {options.MaxTotalBytes}-byte limit.");
                entries.Add(new SeriesEntry(SeriesSources.ChannelOf(name), name, entry.Length));
                _archiveIndex.Add(i);
            }
        }
        catch (InvalidDataException ex)
        {
            throw new ImagingException("InvalidZip", $"The upload is not a valid zip file: {ex.Message}", ex);
        }
        Entries = entries;
    }

    public IReadOnlyList<SeriesEntry> Entries { get; }

    public void Read(int start, int end, Action<int, byte[], int> visit)
    {
        try
        {
            using var archive = ZipFile.OpenRead(_path);
            var buffer = Array.Empty<byte>();
            for (var i = start; i < end; i++)
            {
                var entry = archive.Entries[_archiveIndex[i]];
                var declared = (int)entry.Length;
                if (buffer.Length < declared) buffer = new byte[declared];
                using (var stream = entry.Open())
                {
                    var read = stream.ReadAtLeast(buffer.AsSpan(0, declared), declared, throwOnEndOfStream: false);
                    if (read != declared || stream.ReadByte() != -1)
                        throw new ImagingException("InvalidZip", $"Zip entry '{Entries[i].Name}' does not inflate to the {declared} bytes its header declares.");
                }
                visit(i, buffer, declared);
            }
        }
        catch (InvalidDataException ex)
        {
            throw new ImagingException("InvalidZip", $"The zip file is corrupt: {ex.Message}", ex);
        }
    }

    private static void CheckName(string name)
    {
        var parts = name.Split('/');
        if (name.StartsWith('/') || name.Contains(':') || parts.Any(p => p is ".." or "."))
            throw new ImagingException("UnsafeEntryName", $"Zip entry name '{name}' points outside the upload (absolute path, drive or '..'); such zips are refused.");
    }
}
