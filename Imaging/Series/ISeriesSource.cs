namespace InnerEye.Imaging.Series;

/// <summary>The files of one upload: a gateway zip or a folder on disk.</summary>
public interface ISeriesSource
{
    IReadOnlyList<SeriesEntry> Entries { get; }

    /// <summary>
    /// Reads the entries with index in [start, end) in order, handing each one's bytes (a buffer reused for the next entry, and the length used) to
    /// <paramref name="visit"/>. Safe to call from several threads on disjoint ranges.
    /// </summary>
    void Read(int start, int end, Action<int, byte[], int> visit);
}
