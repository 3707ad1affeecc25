using System.Runtime.InteropServices;

namespace InnerEye.Grains.Artifacts;

/// <summary>Linux <c>syncfs</c>: writes out every dirty page of one file system and waits for it.</summary>
internal static partial class FileSystemSync
{
    /// <summary>Syncs the file system holding <paramref name="path"/>; false where there is no syncfs or it failed.</summary>
    public static bool TrySync(string path)
    {
        if (!OperatingSystem.IsLinux()) return false;
        try
        {
            using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            var added = false;
            handle.DangerousAddRef(ref added);
            try
            {
                return SyncFs((int)handle.DangerousGetHandle()) == 0;
            }
            finally
            {
                if (added) handle.DangerousRelease();
            }
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException or IOException)
        {
            return false;
        }
    }

    [LibraryImport("libc", EntryPoint = "syncfs", SetLastError = true)]
    private static partial int SyncFs(int fd);
}
