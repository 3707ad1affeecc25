using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace InnerEye.Imaging.Nifti;

/// <summary>
/// Reads single-file NIfTI-1 images (<c>n+1</c>), plain or gzip-compressed, little endian, with datatype uint8, int16 or
/// float32 and three dimensions (trailing dimensions of 1 are accepted).
/// </summary>
public static class NiftiReader
{
    public static NiftiImage Read(string path)
    {
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length >= 2 && bytes[0] == 0x1f && bytes[1] == 0x8b)
        {
            using var gzip = new GZipStream(new MemoryStream(bytes), CompressionMode.Decompress);
            using var inflated = new MemoryStream();
            gzip.CopyTo(inflated);
            bytes = inflated.ToArray();
        }
        return Read(bytes);
    }

    public static NiftiImage Read(byte[] bytes)
    {
        if (bytes.Length < NiftiWriter.HeaderSize) throw Fail($"The file is {bytes.Length} bytes, shorter than a NIfTI-1 header.");
        var s = bytes.AsSpan();
        if (BinaryPrimitives.ReadInt32LittleEndian(s) != NiftiWriter.HeaderSize) throw Fail("sizeof_hdr is not 348 (not NIfTI-1, or big endian).");
        if (!s[344..348].SequenceEqual("n+1\0"u8)) throw Fail("The magic is not 'n+1' (a single-file NIfTI-1 image).");
        var rank = BinaryPrimitives.ReadInt16LittleEndian(s[40..]);
        if (rank is < 1 or > 7) throw Fail($"dim[0] is {rank}.");
        var size = new int[3];
        for (var d = 0; d < 3; d++) size[d] = d < rank ? BinaryPrimitives.ReadInt16LittleEndian(s[(42 + 2 * d)..]) : 1;
        for (var d = 3; d < rank; d++)
        {
            if (BinaryPrimitives.ReadInt16LittleEndian(s[(42 + 2 * d)..]) != 1) throw Fail($"dim[{d + 1}] is not 1; only 3-D images are read.");
        }
        if (size.Any(n => n < 1)) throw Fail($"The sizes {string.Join('x', size)} are not positive.");
        var type = (NiftiDataType)BinaryPrimitives.ReadInt16LittleEndian(s[70..]);
        if (!Enum.IsDefined(type)) throw Fail($"Datatype {(short)type} is not supported.");
        var qfac = BinaryPrimitives.ReadSingleLittleEndian(s[76..]);
        var spacing = new double[3];
        for (var d = 0; d < 3; d++) spacing[d] = BinaryPrimitives.ReadSingleLittleEndian(s[(80 + 4 * d)..]);
        var offset = (long)BinaryPrimitives.ReadSingleLittleEndian(s[108..]);
        if (offset < NiftiWriter.HeaderSize) throw Fail($"vox_offset {offset} lies inside the header.");
        var length = (long)size[0] * size[1] * size[2] * NiftiWriter.BytesPerVoxel(type);
        if (offset + length > bytes.Length) throw Fail($"The voxels need {length} bytes from offset {offset} but the file holds {bytes.Length}.");
        var description = Encoding.ASCII.GetString(s.Slice(148, 80)).TrimEnd('\0');
        return new NiftiImage
        {
            Size = size,
            Spacing = spacing,
            DataType = type,
            QFac = qfac < 0 ? -1 : 1,
            QformCode = BinaryPrimitives.ReadInt16LittleEndian(s[252..]),
            SformCode = BinaryPrimitives.ReadInt16LittleEndian(s[254..]),
            Quaternion = Floats(bytes, 256, 3),
            QOffset = Floats(bytes, 268, 3),
            Sform = Floats(bytes, 280, 12),
            Description = description,
            Data = s.Slice((int)offset, (int)length).ToArray(),
        };
    }

    private static double[] Floats(byte[] bytes, int at, int count)
    {
        var values = new double[count];
        for (var q = 0; q < count; q++) values[q] = BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(at + 4 * q));
        return values;
    }

    private static ImagingException Fail(string message) => new("InvalidNifti", message);
}
