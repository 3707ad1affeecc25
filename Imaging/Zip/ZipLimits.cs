namespace InnerEye.Imaging.Zip;

/// <summary>What a zip may claim before it is refused unread.</summary>
public sealed record ZipLimits
{
    public static readonly ZipLimits Default = new();

    /// <summary>Files (and folders) in one archive.</summary>
    public int MaxEntries { get; init; } = 20_000;

    /// <summary>Bytes of one entry's name; gateway names are a few characters.</summary>
    public int MaxNameBytes { get; init; } = 1024;
}
