using InnerEye.Imaging.Tests.Support;

namespace InnerEye.Inference.Tests.Nnunet.Import;

/// <summary>The pickles tests/tools/write_pickles.py writes, made once per test run beside the test assembly.</summary>
internal static class TestPickles
{
    private static readonly Lazy<string> Folder = new(() =>
    {
        ExternalProcess.Available(ExternalProcess.Python);
        var folder = Path.Combine(AppContext.BaseDirectory, "pickles");
        Directory.CreateDirectory(folder);
        ExternalProcess.RunPythonTool("write_pickles.py", folder);
        return folder;
    });

    public static string PathOf(string name) => Path.Combine(Folder.Value, name);

    public static byte[] Bytes(string name) => File.ReadAllBytes(PathOf(name));
}
