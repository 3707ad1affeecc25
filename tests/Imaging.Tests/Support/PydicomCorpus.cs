namespace InnerEye.Imaging.Tests.Support;

/// <summary>The test files that Debian's python3-pydicom ships, written by many toolkits.</summary>
public static class PydicomCorpus
{
    public const string Directory = "/usr/lib/python3/dist-packages/pydicom/data/test_files";

    /// <summary>Files that are malformed on purpose: truncated, or garbage with no meta information.</summary>
    public static readonly string[] Malformed = ["MR_truncated.dcm", "rtplan_truncated.dcm", "no_meta.dcm"];

    /// <summary>The test needs pydicom's test files: Skipped without them, and failed with CI=true.</summary>
    public static void Require() => ExternalProcess.Require(Path.Combine(Directory, "CT_small.dcm"));

    public static string PathOf(string name) => Path.Combine(Directory, name);

    public static IEnumerable<string> WellFormedFiles() =>
        System.IO.Directory.Exists(Directory)
            ? System.IO.Directory.GetFiles(Directory, "*.dcm").Select(Path.GetFileName).OfType<string>()
                .Where(n => !Malformed.Contains(n)).Order()
            : [];
}
