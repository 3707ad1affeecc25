using System.Runtime.InteropServices;

namespace InnerEye.Imaging.Pixels;

/// <summary>The CharLS 2.x C API (charls_jpegls_decoder.h), as exported by libcharls.so.2.</summary>
internal static unsafe partial class CharLsInterop
{
    static CharLsInterop() => NativeLibraries.EnsureResolver();

    [StructLayout(LayoutKind.Sequential)]
    public struct FrameInfo
    {
        public uint Width;
        public uint Height;
        public int BitsPerSample;
        public int ComponentCount;
    }

    public const int InterleaveNone = 0;
    public const int InterleaveLine = 1;
    public const int InterleaveSample = 2;

    [LibraryImport(NativeLibraries.CharLs, EntryPoint = "charls_get_version_string")]
    public static partial IntPtr GetVersionString();

    [LibraryImport(NativeLibraries.CharLs, EntryPoint = "charls_get_error_message")]
    public static partial IntPtr GetErrorMessage(int error);

    [LibraryImport(NativeLibraries.CharLs, EntryPoint = "charls_jpegls_decoder_create")]
    public static partial IntPtr DecoderCreate();

    [LibraryImport(NativeLibraries.CharLs, EntryPoint = "charls_jpegls_decoder_destroy")]
    public static partial void DecoderDestroy(IntPtr decoder);

    [LibraryImport(NativeLibraries.CharLs, EntryPoint = "charls_jpegls_decoder_set_source_buffer")]
    public static partial int SetSourceBuffer(IntPtr decoder, byte* source, nuint sourceSize);

    [LibraryImport(NativeLibraries.CharLs, EntryPoint = "charls_jpegls_decoder_read_header")]
    public static partial int ReadHeader(IntPtr decoder);

    [LibraryImport(NativeLibraries.CharLs, EntryPoint = "charls_jpegls_decoder_get_frame_info")]
    public static partial int GetFrameInfo(IntPtr decoder, FrameInfo* frameInfo);

    [LibraryImport(NativeLibraries.CharLs, EntryPoint = "charls_jpegls_decoder_get_interleave_mode")]
    public static partial int GetInterleaveMode(IntPtr decoder, int* interleaveMode);

    [LibraryImport(NativeLibraries.CharLs, EntryPoint = "charls_jpegls_decoder_get_near_lossless")]
    public static partial int GetNearLossless(IntPtr decoder, int component, int* nearLossless);

    [LibraryImport(NativeLibraries.CharLs, EntryPoint = "charls_jpegls_decoder_get_destination_size")]
    public static partial int GetDestinationSize(IntPtr decoder, uint stride, nuint* size);

    [LibraryImport(NativeLibraries.CharLs, EntryPoint = "charls_jpegls_decoder_decode_to_buffer")]
    public static partial int DecodeToBuffer(IntPtr decoder, byte* destination, nuint destinationSize, uint stride);

    public static string Message(int error)
    {
        var text = GetErrorMessage(error);
        return text == IntPtr.Zero ? $"error {error}" : Marshal.PtrToStringUTF8(text) ?? $"error {error}";
    }
}
