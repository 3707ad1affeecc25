using System.Runtime.InteropServices;

namespace InnerEye.Grains.Artifacts;

/// <summary>A second name for a file's bytes (POSIX <c>link</c>), replacing the target; false where the platform or the file system has
/// none.</summary>
internal static partial class HardLink
{
    public static bool TryCreate(string source, string target)
    {
        if (OperatingSystem.IsWindows()) return false;
        var temp = $"{target}.{Guid.NewGuid():N}.link";
        try
        {
            if (Link(source, temp) != 0) return false;
            File.Move(temp, target, overwrite: true);
            return true;
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            return false;
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    [LibraryImport("libc", EntryPoint = "link", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Link(string existing, string created);
}
