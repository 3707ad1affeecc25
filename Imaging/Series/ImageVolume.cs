namespace InnerEye.Imaging.Series;

/// <summary>
/// A 3-D scalar image on a regular grid in patient coordinates (LPS, mm). Voxel (i, j, k) — column, row, slice — is at
/// Origin + i·Spacing[0]·RowDirection + j·Spacing[1]·ColumnDirection + k·Spacing[2]·SliceDirection; x varies fastest.
/// The slice direction is the unit step from one slice's first pixel to the next one's: the slice normal for a straight
/// stack, a direction leaning from it along the image plane for a tilted gantry (a sheared grid, see
/// <see cref="TiltDegrees"/>). The direction matrix is therefore not always orthogonal.
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

    /// <summary>Row direction cosines, column direction cosines, unit slice step direction: 9 numbers.</summary>
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

    /// <summary>The unit normal of the slice planes: row direction × column direction.</summary>
    public double[] Normal
    {
        get
        {
            var d = Direction;
            return [d[1] * d[5] - d[2] * d[4], d[2] * d[3] - d[0] * d[5], d[0] * d[4] - d[1] * d[3]];
        }
    }

    /// <summary>
    /// The angle (degrees, 0 to 90) between the slice step direction and the slice normal: 0 for a straight stack,
    /// the gantry tilt for a series whose slices shift within their plane from one to the next.
    /// </summary>
    public double TiltDegrees
    {
        get
        {
            var n = Normal;
            var d = Direction;
            var cos = Math.Abs(n[0] * d[6] + n[1] * d[7] + n[2] * d[8]) / Math.Sqrt(d[6] * d[6] + d[7] * d[7] + d[8] * d[8]);
            // A straight stack's step is the normal up to rounding: report exactly 0 there.
            return cos >= 1 - 1e-12 ? 0 : Math.Acos(cos) * 180 / Math.PI;
        }
    }

    /// <summary>Maps patient coordinates to continuous voxel coordinates (the inverse of <see cref="ToPatient"/>).</summary>
    public (double I, double J, double K) ToVoxel(double x, double y, double z) => ToVoxel(Origin, Spacing, Direction, x, y, z);

    /// <summary>
    /// Continuous voxel coordinates of a patient point on any grid given by origin, spacing and direction cosines. The
    /// direction matrix need not be orthogonal (a tilted gantry's grid is sheared), so it is inverted in full.
    /// </summary>
    public static (double I, double J, double K) ToVoxel(double[] origin, double[] spacing, double[] direction, double x, double y, double z)
    {
        // Columns of M are the axes' direction vectors scaled by their spacing: patient = origin + M·(i, j, k).
        var d = direction;
        double a = d[0] * spacing[0], b = d[3] * spacing[1], c = d[6] * spacing[2];
        double e = d[1] * spacing[0], f = d[4] * spacing[1], g = d[7] * spacing[2];
        double h = d[2] * spacing[0], m = d[5] * spacing[1], n = d[8] * spacing[2];
        var det = a * (f * n - g * m) - b * (e * n - g * h) + c * (e * m - f * h);
        if (Math.Abs(det) < 1e-12) throw new ArgumentException("The grid's direction cosines and spacing do not span 3-D space.");
        double px = x - origin[0], py = y - origin[1], pz = z - origin[2];
        return (((f * n - g * m) * px + (c * m - b * n) * py + (b * g - c * f) * pz) / det,
                ((g * h - e * n) * px + (a * n - c * h) * py + (c * e - a * g) * pz) / det,
                ((e * m - f * h) * px + (b * h - a * m) * py + (a * f - b * e) * pz) / det);
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
