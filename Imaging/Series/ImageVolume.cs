namespace InnerEye.Imaging.Series;

/// <summary>
/// A 3-D scalar image on a regular grid in patient coordinates (LPS, mm). Voxel (i, j, k) — column, row, slice — is at
/// Origin + i·Spacing[0]·RowDirection + j·Spacing[1]·ColumnDirection + k·Spacing[2]·SliceDirection; x varies fastest.
/// Slices are held as separate arrays so that loading can decode each slice where it is read and sort afterwards.
/// </summary>
public sealed class ImageVolume(int sizeX, int sizeY, double[] spacing, double[] origin, double[] direction, float[][] slices)
{
    public int SizeX { get; } = sizeX;
    public int SizeY { get; } = sizeY;
    public int SizeZ => Slices.Length;

    /// <summary>Column spacing, row spacing, slice spacing (mm).</summary>
    public double[] Spacing { get; } = spacing;

    public double[] Origin { get; } = origin;

    /// <summary>Row direction cosines, column direction cosines, slice normal: 9 numbers.</summary>
    public double[] Direction { get; } = direction;

    /// <summary>One array of SizeX·SizeY values per slice, in slice order.</summary>
    public float[][] Slices { get; } = slices;

    public long VoxelCount => (long)SliceLength * SizeZ;

    /// <summary>True when any slice was lossy-compressed: values are not the scanner's.</summary>
    public bool Lossy { get; init; }

    public int SliceLength => SizeX * SizeY;

    public Span<float> Slice(int z) => Slices[z];

    /// <summary>The voxels as one contiguous array, x fastest then y then z.</summary>
    public float[] ToArray()
    {
        var all = new float[VoxelCount];
        for (var z = 0; z < SizeZ; z++) Slices[z].CopyTo(all.AsSpan(z * SliceLength));
        return all;
    }

    /// <summary>Maps patient coordinates to continuous voxel coordinates (the inverse of <see cref="ToPatient"/>).</summary>
    public (double I, double J, double K) ToVoxel(double x, double y, double z)
    {
        // The direction matrix is orthonormal, so its inverse is its transpose; spacing scales each axis.
        var d = Direction;
        double px = x - Origin[0], py = y - Origin[1], pz = z - Origin[2];
        return ((d[0] * px + d[1] * py + d[2] * pz) / Spacing[0],
                (d[3] * px + d[4] * py + d[5] * pz) / Spacing[1],
                (d[6] * px + d[7] * py + d[8] * pz) / Spacing[2]);
    }

    /// <summary>Maps continuous voxel coordinates to patient coordinates.</summary>
    public (double X, double Y, double Z) ToPatient(double i, double j, double k) => ToPatient(Origin, Spacing, Direction, i, j, k);

    /// <summary>Voxel (i, j, k) of any grid given by origin, spacing and direction cosines, in patient coordinates.</summary>
    public static (double X, double Y, double Z) ToPatient(double[] origin, double[] spacing, double[] direction, double i, double j, double k)
    {
        var d = direction;
        double a = i * spacing[0], b = j * spacing[1], c = k * spacing[2];
        return (origin[0] + a * d[0] + b * d[3] + c * d[6],
                origin[1] + a * d[1] + b * d[4] + c * d[7],
                origin[2] + a * d[2] + b * d[5] + c * d[8]);
    }
}
