namespace InnerEye.Imaging.Series;

public static class SeriesSources
{
    /// <summary>A zip file in the gateway layout, or a folder whose sub-folders are channels.</summary>
    public static ISeriesSource Open(string path, SeriesLoadOptions? options = null)
    {
        options ??= SeriesLoadOptions.Default;
        if (Directory.Exists(path)) return new FolderSeriesSource(path, options);
        if (File.Exists(path)) return new ZipSeriesSource(path, options);
        throw new ImagingException("NotFound", $"'{path}' is neither a file nor a folder.");
    }

    /// <summary>The channel of an entry: its first path segment, or "" for a file at the top level.</summary>
    public static string ChannelOf(string relativeName)
    {
        var slash = relativeName.IndexOf('/');
        return slash > 0 ? relativeName[..slash] : "";
    }
}
