using System.Reflection;
using System.Runtime.InteropServices;

namespace InnerEye.Imaging.Pixels;

/// <summary>Resolves the native codec libraries by their Debian sonames first, then by the platform's plain names.</summary>
internal static class NativeLibraries
{
    public const string CharLs = "charls";
    public const string OpenJpeg = "openjp2";

    private static int _registered;

    private static readonly Dictionary<string, string[]> Candidates = new()
    {
        [CharLs] = ["libcharls.so.2", "charls", "charls-2-x64"],
        [OpenJpeg] = ["libopenjp2.so.7", "openjp2", "libopenjp2"],
    };

    /// <summary>Installs the resolver; safe to call many times, from any thread.</summary>
    public static void EnsureResolver()
    {
        if (Interlocked.Exchange(ref _registered, 1) == 0)
            NativeLibrary.SetDllImportResolver(typeof(NativeLibraries).Assembly, Resolve);
    }

    private static IntPtr Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (!Candidates.TryGetValue(libraryName, out var names))
            return IntPtr.Zero;
        foreach (var name in names)
        {
            if (NativeLibrary.TryLoad(name, assembly, searchPath, out var handle))
                return handle;
        }
        return IntPtr.Zero;
    }

    /// <summary>True when <paramref name="probe"/> can call into the library; false when it is missing or too old.</summary>
    public static bool IsAvailable(Action probe)
    {
        EnsureResolver();
        try
        {
            probe();
            return true;
        }
        catch (DllNotFoundException)
        {
            return false;
        }
        catch (EntryPointNotFoundException)
        {
            return false;
        }
    }
}
