namespace InnerEye.Imaging.Nifti;

/// <summary>NIfTI-1 datatype codes this library reads and writes.</summary>
public enum NiftiDataType : short
{
    UInt8 = 2,
    Int16 = 4,
    Float32 = 16,
}

/// <summary>
/// A NIfTI-1 image as read or to be written: the header fields that place it in space and the raw voxel bytes (little
/// endian, x fastest, then y, then z). Its coordinates are NIfTI's RAS+ (+x toward the patient's right, +y anterior,
/// +z superior); <see cref="NiftiGeometry"/> converts from DICOM's LPS+.
/// </summary>
public sealed record NiftiImage
{
    /// <summary>Voxel counts along i, j, k.</summary>
    public required int[] Size { get; init; }

    /// <summary>Voxel spacing along i, j, k (mm).</summary>
    public required double[] Spacing { get; init; }

    public NiftiDataType DataType { get; init; } = NiftiDataType.UInt8;

    /// <summary>The 3×4 sform matrix rows (srow_x, srow_y, srow_z): voxel (i, j, k) → RAS mm.</summary>
    public required double[] Sform { get; init; }

    /// <summary>Quaternion parameters b, c, d of the qform rotation.</summary>
    public required double[] Quaternion { get; init; }

    /// <summary>qoffset_x, qoffset_y, qoffset_z.</summary>
    public required double[] QOffset { get; init; }

    /// <summary>pixdim[0]: +1 or −1, the sign of the third axis of the qform.</summary>
    public double QFac { get; init; } = 1;

    public short QformCode { get; init; } = 1;
    public short SformCode { get; init; } = 1;

    public string Description { get; init; } = "";

    public required byte[] Data { get; init; }

    public long VoxelCount => (long)Size[0] * Size[1] * Size[2];

    /// <summary>The qform as a 3×4 matrix (rows), computed as NIfTI-1 defines it (method 2).</summary>
    /// <summary>
    /// A uint8 label image on a DICOM grid (LPS origin and direction), with that grid in qform and sform. A sheared grid
    /// (a tilted gantry's) is exact in the sform only; its qform_code is 0 (unknown) so that readers use the sform.
    /// </summary>
    public static NiftiImage Labels(byte[] data, int[] size, double[] spacing, double[] origin, double[] direction, string description)
    {
        var (quaternion, offset, qfac) = NiftiGeometry.QformFromDicom(origin, direction);
        return new NiftiImage
        {
            Size = size,
            Spacing = spacing,
            Sform = NiftiGeometry.SformFromDicom(origin, direction, spacing),
            Quaternion = quaternion,
            QOffset = offset,
            QFac = qfac,
            QformCode = NiftiGeometry.IsSheared(direction) ? (short)0 : (short)1,
            Description = description,
            Data = data,
        };
    }

    public double[] QformMatrix() => NiftiGeometry.QuaternionToMatrix(Quaternion, QOffset, Spacing, QFac);
}
