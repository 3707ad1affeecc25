using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace InnerEye.Imaging.Pixels;

/// <summary>
/// JPEG 2000 (1.2.840.10008.1.2.4.90 lossless, .91 lossy) through OpenJPEG 2.5 (Debian libopenjp2-7). Accepts a raw
/// codestream or a JP2 file. The codestream's SIZ segment is checked against the data set before OpenJPEG sees it,
/// so a corrupt header cannot make it allocate for a different image. Where the codestream's signedness differs
/// from Pixel Representation, the data set wins: signed samples are sign-extended from Bits Stored.
/// </summary>
public sealed unsafe class Jpeg2000FrameDecoder : IFrameDecoder
{
    internal const string Codec = "JPEG 2000";

    public static Jpeg2000FrameDecoder Instance { get; } = new();

    private static readonly Lazy<bool> Available = new(() =>
        NativeLibraries.IsAvailable(() => OpenJpegInterop.Version()));

    /// <summary>True when libopenjp2 can be loaded.</summary>
    public static bool IsAvailable => Available.Value;

    private static ReadOnlySpan<byte> Jp2Signature => [0x00, 0x00, 0x00, 0x0C, 0x6A, 0x50, 0x20, 0x20, 0x0D, 0x0A, 0x87, 0x0A];

    public void Decode(ReadOnlySpan<byte> encoded, FrameFormat format, Span<byte> destination)
    {
        FrameChecks.Validate(Codec, format, destination.Length);
        int codecFormat;
        ReadOnlySpan<byte> codestream;
        if (encoded.StartsWith(Jp2Signature))
        {
            codecFormat = OpenJpegInterop.CodecJp2;
            codestream = FindCodestreamBox(encoded);
        }
        else if (encoded.Length >= 4 && encoded[0] == 0xFF && encoded[1] == 0x4F && encoded[2] == 0xFF && encoded[3] == 0x51)
        {
            codecFormat = OpenJpegInterop.CodecJ2K;
            codestream = encoded;
        }
        else
        {
            throw FrameChecks.Corrupt(Codec, "the data is neither a JPEG 2000 codestream (FF4F FF51) nor a JP2 file");
        }
        CheckSiz(codestream, format);

        var errors = new List<string>();
        GCHandle errorsHandle = GCHandle.Alloc(errors);
        var codec = IntPtr.Zero;
        var stream = IntPtr.Zero;
        OpenJpegInterop.Image* image = null;
        try
        {
            fixed (byte* data = encoded)
            {
                var source = new OpenJpegInterop.MemorySource
                {
                    Data = data,
                    Length = encoded.Length,
                    Errors = GCHandle.ToIntPtr(errorsHandle),
                };
                codec = OpenJpegInterop.CreateDecompress(codecFormat);
                if (codec == IntPtr.Zero)
                    throw new OutOfMemoryException("OpenJPEG could not create a decoder.");
                OpenJpegInterop.SetErrorHandler(codec, &OpenJpegInterop.OnError, &source);
                OpenJpegInterop.SetWarningHandler(codec, &OpenJpegInterop.Ignore, null);
                OpenJpegInterop.SetInfoHandler(codec, &OpenJpegInterop.Ignore, null);

                var parameters = stackalloc byte[OpenJpegInterop.DecoderParametersBufferSize];
                new Span<byte>(parameters, OpenJpegInterop.DecoderParametersBufferSize).Clear();
                OpenJpegInterop.SetDefaultDecoderParameters(parameters);
                if (OpenJpegInterop.SetupDecoder(codec, parameters) == 0)
                    throw Failure("setting up the decoder", errors);

                stream = OpenJpegInterop.StreamCreate((nuint)Math.Clamp(encoded.Length, 4096, 1 << 20), 1);
                if (stream == IntPtr.Zero)
                    throw new OutOfMemoryException("OpenJPEG could not create a stream.");
                OpenJpegInterop.StreamSetUserData(stream, &source, IntPtr.Zero);
                OpenJpegInterop.StreamSetUserDataLength(stream, (ulong)encoded.Length);
                OpenJpegInterop.StreamSetReadFunction(stream, &OpenJpegInterop.Read);
                OpenJpegInterop.StreamSetSkipFunction(stream, &OpenJpegInterop.Skip);
                OpenJpegInterop.StreamSetSeekFunction(stream, &OpenJpegInterop.Seek);

                if (OpenJpegInterop.ReadHeader(stream, codec, &image) == 0 || image == null)
                    throw Failure("reading the header", errors);
                CheckImage(image, format);
                if (OpenJpegInterop.Decode(codec, stream, image) == 0)
                    throw Failure("decoding", errors);
                if (OpenJpegInterop.EndDecompress(codec, stream) == 0)
                    throw Failure("finishing the decode", errors);
                CheckImage(image, format);
                CopySamples(image, format, destination);
            }
        }
        finally
        {
            if (image != null)
                OpenJpegInterop.ImageDestroy(image);
            if (stream != IntPtr.Zero)
                OpenJpegInterop.StreamDestroy(stream);
            if (codec != IntPtr.Zero)
                OpenJpegInterop.DestroyCodec(codec);
            errorsHandle.Free();
        }
    }

    private static PixelDecodeException Failure(string step, List<string> errors) =>
        FrameChecks.Corrupt(Codec, errors.Count == 0
            ? $"OpenJPEG failed {step}"
            : $"OpenJPEG failed {step}: {string.Join("; ", errors)}");

    /// <summary>The contents of the contiguous codestream ('jp2c') box of a JP2 file.</summary>
    private static ReadOnlySpan<byte> FindCodestreamBox(ReadOnlySpan<byte> file)
    {
        var pos = 0;
        while (pos + 8 <= file.Length)
        {
            long length = BinaryPrimitives.ReadUInt32BigEndian(file[pos..]);
            var type = BinaryPrimitives.ReadUInt32BigEndian(file[(pos + 4)..]);
            var header = 8;
            if (length == 1)
            {
                if (pos + 16 > file.Length)
                    break;
                length = (long)Math.Min(BinaryPrimitives.ReadUInt64BigEndian(file[(pos + 8)..]), long.MaxValue);
                header = 16;
            }
            else if (length == 0)
            {
                length = file.Length - pos;
            }
            if (length < header || length > file.Length - pos)
                throw FrameChecks.Corrupt(Codec, $"JP2 box at byte {pos} has length {length}, past the end of the data");
            if (type == 0x6A703263) // 'jp2c'
                return file.Slice(pos + header, (int)length - header);
            pos += (int)length;
        }
        throw FrameChecks.Corrupt(Codec, "the JP2 file has no codestream box");
    }

    /// <summary>Checks the SIZ marker segment against the data set before any allocation happens.</summary>
    private static void CheckSiz(ReadOnlySpan<byte> cs, FrameFormat format)
    {
        if (cs.Length < 4 || cs[0] != 0xFF || cs[1] != 0x4F || cs[2] != 0xFF || cs[3] != 0x51)
            throw FrameChecks.Corrupt(Codec, "the codestream does not start with SOC and SIZ markers");
        if (cs.Length < 4 + 40)
            throw FrameChecks.Corrupt(Codec, "the SIZ segment is truncated");
        ReadOnlySpan<byte> siz = cs[4..];
        int lsiz = BinaryPrimitives.ReadUInt16BigEndian(siz);
        var xsiz = BinaryPrimitives.ReadUInt32BigEndian(siz[4..]);
        var ysiz = BinaryPrimitives.ReadUInt32BigEndian(siz[8..]);
        var xosiz = BinaryPrimitives.ReadUInt32BigEndian(siz[12..]);
        var yosiz = BinaryPrimitives.ReadUInt32BigEndian(siz[16..]);
        var xtsiz = BinaryPrimitives.ReadUInt32BigEndian(siz[20..]);
        var ytsiz = BinaryPrimitives.ReadUInt32BigEndian(siz[24..]);
        var xtosiz = BinaryPrimitives.ReadUInt32BigEndian(siz[28..]);
        var ytosiz = BinaryPrimitives.ReadUInt32BigEndian(siz[32..]);
        int csiz = BinaryPrimitives.ReadUInt16BigEndian(siz[36..]);
        if (lsiz != 38 + 3 * csiz || siz.Length < lsiz)
            throw FrameChecks.Corrupt(Codec, $"the SIZ segment length {lsiz} does not fit {csiz} components");
        if (xosiz >= xsiz || yosiz >= ysiz || (long)xsiz - xosiz != format.Columns || (long)ysiz - yosiz != format.Rows)
            throw FrameChecks.Corrupt(Codec, $"the codestream image area does not match the data set's {format.Columns}x{format.Rows}");
        if (csiz != format.SamplesPerPixel)
            throw FrameChecks.Corrupt(Codec,
                $"the codestream has {csiz} components but the data set says {format.SamplesPerPixel} samples per pixel");
        if (xtsiz == 0 || ytsiz == 0 || xtosiz > xosiz || ytosiz > yosiz || (long)xtosiz + xtsiz <= xosiz || (long)ytosiz + ytsiz <= yosiz)
            throw FrameChecks.Corrupt(Codec, "the codestream's tile grid is invalid");
        var tiles = ((xsiz - xtosiz + (long)xtsiz - 1) / xtsiz) * ((ysiz - ytosiz + (long)ytsiz - 1) / ytsiz);
        if (tiles > 65535)
            throw FrameChecks.Corrupt(Codec, $"the codestream declares {tiles} tiles");
        for (var c = 0; c < csiz; c++)
        {
            int ssiz = siz[38 + 3 * c];
            var precision = (ssiz & 0x7F) + 1;
            if (precision > format.BitsAllocated || precision > 31)
                throw FrameChecks.Unsupported(Codec, $"component {c} has {precision}-bit samples, more than {format.BitsAllocated} bits allocated");
            if (siz[39 + 3 * c] != 1 || siz[40 + 3 * c] != 1)
                throw FrameChecks.Unsupported(Codec, "subsampled components are not supported");
        }
    }

    private static void CheckImage(OpenJpegInterop.Image* image, FrameFormat format)
    {
        if (image->NumComps != format.SamplesPerPixel || image->Comps == null)
            throw FrameChecks.Corrupt(Codec, $"OpenJPEG produced {image->NumComps} components where {format.SamplesPerPixel} were expected");
        for (var c = 0; c < format.SamplesPerPixel; c++)
        {
            OpenJpegInterop.ImageComponent* comp = &image->Comps[c];
            if (comp->W != format.Columns || comp->H != format.Rows || comp->Dx != 1 || comp->Dy != 1 || comp->Factor != 0)
                throw FrameChecks.Corrupt(Codec, $"component {c} is {comp->W}x{comp->H} where {format.Columns}x{format.Rows} was expected");
            if (comp->Prec == 0 || comp->Prec > format.BitsAllocated)
                throw FrameChecks.Unsupported(Codec, $"component {c} has {comp->Prec}-bit samples, more than {format.BitsAllocated} bits allocated");
        }
    }

    private static void CopySamples(OpenJpegInterop.Image* image, FrameFormat format, Span<byte> destination)
    {
        var pixels = format.Rows * format.Columns;
        var samples = format.SamplesPerPixel;
        for (var c = 0; c < samples; c++)
        {
            OpenJpegInterop.ImageComponent* comp = &image->Comps[c];
            if (comp->Data == null)
                throw FrameChecks.Corrupt(Codec, $"OpenJPEG decoded no data for component {c}");
            var data = new ReadOnlySpan<int>(comp->Data, pixels);
            // Pixel Representation decides: in a signed data set the low Bits Stored bits are the sample, sign-extended
            // (this also reinterprets an unsigned codestream); in an unsigned one the value's low bits are kept as they are.
            var extend = format.IsSigned ? 32 - Math.Min(format.BitsStored, (int)comp->Prec) : 0;
            switch (format.BytesPerSample)
            {
                case 1:
                    for (int p = 0, o = c; p < pixels; p++, o += samples)
                        destination[o] = (byte)((data[p] << extend) >> extend);
                    break;
                case 2:
                    var words = MemoryMarshal.Cast<byte, ushort>(destination);
                    if (BitConverter.IsLittleEndian)
                    {
                        for (int p = 0, o = c; p < pixels; p++, o += samples)
                            words[o] = (ushort)((data[p] << extend) >> extend);
                    }
                    else
                    {
                        for (int p = 0, o = c; p < pixels; p++, o += samples)
                            BinaryPrimitives.WriteUInt16LittleEndian(destination[(2 * o)..], (ushort)((data[p] << extend) >> extend));
                    }
                    break;
                default:
                    for (int p = 0, o = c; p < pixels; p++, o += samples)
                        BinaryPrimitives.WriteInt32LittleEndian(destination[(4 * o)..], (data[p] << extend) >> extend);
                    break;
            }
        }
    }
}
