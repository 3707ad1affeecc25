using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace InnerEye.Imaging.Pixels;

/// <summary>
/// The parts of the OpenJPEG 2.5 C API (openjpeg.h) needed to decode from memory. Struct layouts follow openjpeg.h
/// for 64-bit targets; opj_dparameters_t is only ever filled by the library itself, in a buffer larger than it.
/// </summary>
internal static unsafe partial class OpenJpegInterop
{
    static OpenJpegInterop() => NativeLibraries.EnsureResolver();

    public const int CodecJ2K = 0;
    public const int CodecJp2 = 2;

    /// <summary>sizeof(opj_dparameters_t) is 8256 bytes in 2.5 (two 4096-byte path buffers); leave ample room.</summary>
    public const int DecoderParametersBufferSize = 16384;

    /// <summary>opj_image_comp_t.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct ImageComponent
    {
        public uint Dx;
        public uint Dy;
        public uint W;
        public uint H;
        public uint X0;
        public uint Y0;
        public uint Prec;
        public uint Bpp;
        public uint Sgnd;
        public uint ResnoDecoded;
        public uint Factor;
        public int* Data;
        public ushort Alpha;
    }

    /// <summary>opj_image_t.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct Image
    {
        public uint X0;
        public uint Y0;
        public uint X1;
        public uint Y1;
        public uint NumComps;
        public int ColorSpace;
        public ImageComponent* Comps;
        public byte* IccProfileBuf;
        public uint IccProfileLen;
    }

    /// <summary>The memory a stream reads from; lives on the decoding thread's stack for one decode.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct MemorySource
    {
        public byte* Data;
        public long Length;
        public long Position;
        public IntPtr Errors; // GCHandle of a List<string>
    }

    [LibraryImport(NativeLibraries.OpenJpeg, EntryPoint = "opj_version")]
    public static partial IntPtr Version();

    [LibraryImport(NativeLibraries.OpenJpeg, EntryPoint = "opj_create_decompress")]
    public static partial IntPtr CreateDecompress(int format);

    [LibraryImport(NativeLibraries.OpenJpeg, EntryPoint = "opj_destroy_codec")]
    public static partial void DestroyCodec(IntPtr codec);

    [LibraryImport(NativeLibraries.OpenJpeg, EntryPoint = "opj_set_default_decoder_parameters")]
    public static partial void SetDefaultDecoderParameters(byte* parameters);

    [LibraryImport(NativeLibraries.OpenJpeg, EntryPoint = "opj_setup_decoder")]
    public static partial int SetupDecoder(IntPtr codec, byte* parameters);

    [LibraryImport(NativeLibraries.OpenJpeg, EntryPoint = "opj_set_error_handler")]
    public static partial int SetErrorHandler(IntPtr codec, delegate* unmanaged[Cdecl]<byte*, void*, void> handler, void* userData);

    [LibraryImport(NativeLibraries.OpenJpeg, EntryPoint = "opj_set_warning_handler")]
    public static partial int SetWarningHandler(IntPtr codec, delegate* unmanaged[Cdecl]<byte*, void*, void> handler, void* userData);

    [LibraryImport(NativeLibraries.OpenJpeg, EntryPoint = "opj_set_info_handler")]
    public static partial int SetInfoHandler(IntPtr codec, delegate* unmanaged[Cdecl]<byte*, void*, void> handler, void* userData);

    [LibraryImport(NativeLibraries.OpenJpeg, EntryPoint = "opj_stream_create")]
    public static partial IntPtr StreamCreate(nuint bufferSize, int isInput);

    [LibraryImport(NativeLibraries.OpenJpeg, EntryPoint = "opj_stream_destroy")]
    public static partial void StreamDestroy(IntPtr stream);

    [LibraryImport(NativeLibraries.OpenJpeg, EntryPoint = "opj_stream_set_read_function")]
    public static partial void StreamSetReadFunction(IntPtr stream, delegate* unmanaged[Cdecl]<void*, nuint, void*, nuint> read);

    [LibraryImport(NativeLibraries.OpenJpeg, EntryPoint = "opj_stream_set_skip_function")]
    public static partial void StreamSetSkipFunction(IntPtr stream, delegate* unmanaged[Cdecl]<long, void*, long> skip);

    [LibraryImport(NativeLibraries.OpenJpeg, EntryPoint = "opj_stream_set_seek_function")]
    public static partial void StreamSetSeekFunction(IntPtr stream, delegate* unmanaged[Cdecl]<long, void*, int> seek);

    [LibraryImport(NativeLibraries.OpenJpeg, EntryPoint = "opj_stream_set_user_data")]
    public static partial void StreamSetUserData(IntPtr stream, void* userData, IntPtr freeFunction);

    [LibraryImport(NativeLibraries.OpenJpeg, EntryPoint = "opj_stream_set_user_data_length")]
    public static partial void StreamSetUserDataLength(IntPtr stream, ulong length);

    [LibraryImport(NativeLibraries.OpenJpeg, EntryPoint = "opj_read_header")]
    public static partial int ReadHeader(IntPtr stream, IntPtr codec, Image** image);

    [LibraryImport(NativeLibraries.OpenJpeg, EntryPoint = "opj_decode")]
    public static partial int Decode(IntPtr codec, IntPtr stream, Image* image);

    [LibraryImport(NativeLibraries.OpenJpeg, EntryPoint = "opj_end_decompress")]
    public static partial int EndDecompress(IntPtr codec, IntPtr stream);

    [LibraryImport(NativeLibraries.OpenJpeg, EntryPoint = "opj_image_destroy")]
    public static partial void ImageDestroy(Image* image);

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    public static nuint Read(void* buffer, nuint count, void* userData)
    {
        var source = (MemorySource*)userData;
        var left = source->Length - source->Position;
        if (left <= 0)
            return unchecked((nuint)(-1));
        var n = Math.Min(left, (long)count);
        Buffer.MemoryCopy(source->Data + source->Position, buffer, (long)count, n);
        source->Position += n;
        return (nuint)n;
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    public static long Skip(long count, void* userData)
    {
        var source = (MemorySource*)userData;
        var target = source->Position + count;
        if (count < 0 || target > source->Length)
        {
            source->Position = source->Length;
            return -1;
        }
        source->Position = target;
        return count;
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    public static int Seek(long position, void* userData)
    {
        var source = (MemorySource*)userData;
        if (position < 0 || position > source->Length)
            return 0;
        source->Position = position;
        return 1;
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    public static void OnError(byte* message, void* userData)
    {
        var source = (MemorySource*)userData;
        if (source->Errors == IntPtr.Zero || message == null)
            return;
        if (GCHandle.FromIntPtr(source->Errors).Target is List<string> errors && errors.Count < 8)
            errors.Add((Marshal.PtrToStringUTF8((IntPtr)message) ?? "").Trim());
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    public static void Ignore(byte* message, void* userData)
    {
    }
}
