using InnerEye.Imaging.Tests.Support;

namespace InnerEye.Imaging.Tests.MultiFrame;

/// <summary>
/// PixelMed's legacy converter (Debian pixelmed-apps): <c>com.pixelmed.dicom.MultiFrameImageFactory</c> turns a folder
/// of single-frame CT or MR images into Legacy Converted Enhanced CT/MR Image Storage objects, one per series.
/// </summary>
public static class Pixelmed
{
    public const string Jar = "/usr/share/java/pixelmed.jar";
    private const string CommonsCodec = "/usr/share/java/commons-codec.jar";

    /// <summary>The test needs java and pixelmed: Skipped without them, and failed with CI=true.</summary>
    public static void Require()
    {
        ExternalProcess.Require("java");
        ExternalProcess.Require(Jar);
    }

    /// <summary>Converts every file under <paramref name="input"/>; returns the multi-frame files written.</summary>
    public static string[] Convert(string input, string output)
    {
        Directory.CreateDirectory(output);
        ExternalProcess.Run("java", ["-Djava.awt.headless=true", "-cp", $"{Jar}:{CommonsCodec}", "com.pixelmed.dicom.MultiFrameImageFactory",
            input, output]);
        var files = Directory.GetFiles(output);
        Assert.NotEmpty(files);
        return files;
    }
}
