using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace InnerEye.Imaging.Nifti;

/// <summary>
/// Writes single-file NIfTI-1 images (<c>.nii</c>, or gzip-compressed <c>.nii.gz</c> when the path ends in
/// <c>.gz</c>): the 348-byte header, four zero extension bytes, then the voxels from offset 352. The output depends
/// only on the image: the gzip header carries no time stamp.
/// </summary>
public static class NiftiWriter
{
    public const int HeaderSize = 348;
    public const int VoxOffset = 352;

    public static void Write(string path, NiftiImage image)
    {
        using var file = File.Create(path);
        if (path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase))
        {
            using var gzip = new GZipStream(file, CompressionLevel.Optimal);
            Write(gzip, image);
        }
        else
        {
            Write(file, image);
        }
    }

    /// <summary>Writes the uncompressed image (header, extension flag, voxels) to a stream.</summary>
    public static void Write(Stream output, NiftiImage image)
    {
        Validate(image);
        output.Write(Header(image));
        output.Write(image.Data);
    }

    /// <summary>The 352 bytes before the voxels: the header and an all-zero extension flag.</summary>
    public static byte[] Header(NiftiImage image)
    {
        var h = new byte[VoxOffset];
        var s = h.AsSpan();
        BinaryPrimitives.WriteInt32LittleEndian(s, HeaderSize);
        h[38] = (byte)'r'; // regular
        BinaryPrimitives.WriteInt16LittleEndian(s[40..], 3);
        for (var d = 0; d < 3; d++) BinaryPrimitives.WriteInt16LittleEndian(s[(42 + 2 * d)..], checked((short)image.Size[d]));
        for (var d = 3; d < 8; d++) BinaryPrimitives.WriteInt16LittleEndian(s[(42 + 2 * d)..], 1);
        BinaryPrimitives.WriteInt16LittleEndian(s[70..], (short)image.DataType);
        BinaryPrimitives.WriteInt16LittleEndian(s[72..], (short)(BytesPerVoxel(image.DataType) * 8));
        BinaryPrimitives.WriteSingleLittleEndian(s[76..], (float)image.QFac);
        for (var d = 0; d < 3; d++) BinaryPrimitives.WriteSingleLittleEndian(s[(80 + 4 * d)..], (float)image.Spacing[d]);
        BinaryPrimitives.WriteSingleLittleEndian(s[108..], VoxOffset);
        BinaryPrimitives.WriteSingleLittleEndian(s[112..], 0); // scl_slope 0: no scaling
        h[123] = 2; // xyzt_units: mm
        var description = Encoding.ASCII.GetBytes(image.Description);
        description.AsSpan(0, Math.Min(description.Length, 79)).CopyTo(s[148..]);
        BinaryPrimitives.WriteInt16LittleEndian(s[252..], image.QformCode);
        BinaryPrimitives.WriteInt16LittleEndian(s[254..], image.SformCode);
        for (var q = 0; q < 3; q++) BinaryPrimitives.WriteSingleLittleEndian(s[(256 + 4 * q)..], (float)image.Quaternion[q]);
        for (var q = 0; q < 3; q++) BinaryPrimitives.WriteSingleLittleEndian(s[(268 + 4 * q)..], (float)image.QOffset[q]);
        for (var q = 0; q < 12; q++) BinaryPrimitives.WriteSingleLittleEndian(s[(280 + 4 * q)..], (float)image.Sform[q]);
        "n+1\0"u8.CopyTo(s[344..]);
        return h;
    }

    public static int BytesPerVoxel(NiftiDataType type) => type switch
    {
        NiftiDataType.UInt8 => 1,
        NiftiDataType.Int16 => 2,
        NiftiDataType.Float32 => 4,
        _ => throw new NotSupportedException($"NIfTI datatype {(short)type} is not supported."),
    };

    private static void Validate(NiftiImage image)
    {
        if (image.Size is not { Length: 3 } || image.Size.Any(n => n is < 1 or > short.MaxValue))
            throw new ArgumentException("A NIfTI image needs three sizes from 1 to 32767.", nameof(image));
        if (image.Spacing is not { Length: 3 } || image.Sform is not { Length: 12 } || image.Quaternion is not { Length: 3 }
            || image.QOffset is not { Length: 3 })
            throw new ArgumentException("Spacing, sform (12), quaternion (3) and qoffset (3) are required.", nameof(image));
        if (image.Data.LongLength != image.VoxelCount * BytesPerVoxel(image.DataType))
            throw new ArgumentException($"The data holds {image.Data.LongLength} bytes where {image.VoxelCount} voxels of {image.DataType} need " +
                $"{image.VoxelCount * BytesPerVoxel(image.DataType)}.", nameof(image));
    }
}
