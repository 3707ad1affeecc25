namespace InnerEye.Imaging.Zip;

/// <summary>The typed errors of a zip that fails a check; every one names what is wrong (and the entry, where one is at fault).</summary>
internal static class ZipErrors
{
    public static ImagingException Invalid(string problem) =>
        new("InvalidZip", $"The upload is not a valid zip file: {problem}.");

    public static ImagingException Corrupt(string entry, string problem) =>
        new("CorruptEntry", $"Zip entry '{entry}' is damaged: {problem}; nothing in this upload is used.");

    public static ImagingException Unsupported(string entry, string problem) =>
        new("UnsupportedZipEntry", $"Zip entry '{entry}' {problem}; send entries stored or deflated, without encryption.");
}
