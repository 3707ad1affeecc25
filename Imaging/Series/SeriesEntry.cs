namespace InnerEye.Imaging.Series;

/// <summary>One file of an upload: the channel it belongs to (first path segment) and its name within the upload.</summary>
public sealed record SeriesEntry(string Channel, string Name, long DeclaredSize);
