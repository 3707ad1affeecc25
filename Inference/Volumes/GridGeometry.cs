using InnerEye.Imaging.Series;

namespace InnerEye.Inference;

/// <summary>
/// A regular grid in patient coordinates (LPS, mm), laid out like <see cref="ImageVolume"/>: voxel (i, j, k) is at
/// Origin + i·Spacing[0]·Direction[0..2] + j·Spacing[1]·Direction[3..5] + k·Spacing[2]·Direction[6..8].
/// Direction[6..8] is the slice step, which leans from the slice normal for a tilted gantry: the direction matrix need
/// not be orthogonal, so every mapping here goes through the full affine and its 3×3 inverse.
/// </summary>
public sealed record GridGeometry(int SizeX, int SizeY, int SizeZ, double[] Spacing, double[] Origin, double[] Direction)
{
    public static GridGeometry Of(ImageVolume volume) =>
        new(volume.SizeX, volume.SizeY, volume.SizeZ, volume.Spacing, volume.Origin, volume.Direction);

    public long VoxelCount => (long)SizeX * SizeY * SizeZ;

    public int SliceLength => SizeX * SizeY;

    public (double X, double Y, double Z) ToPatient(double i, double j, double k) => ImageVolume.ToPatient(Origin, Spacing, Direction, i, j, k);

    /// <summary>Continuous voxel coordinates of a patient-coordinate point (the inverse of <see cref="ToPatient"/>).</summary>
    public (double I, double J, double K) ToVoxel(double x, double y, double z)
    {
        var inv = Inverse(IndexToWorld());
        double dx = x - Origin[0], dy = y - Origin[1], dz = z - Origin[2];
        return (inv[0] * dx + inv[1] * dy + inv[2] * dz, inv[3] * dx + inv[4] * dy + inv[5] * dz, inv[6] * dx + inv[7] * dy + inv[8] * dz);
    }

    /// <summary>The same orientation and origin, another spacing: the size keeps the physical extent (size·spacing).</summary>
    public GridGeometry WithSpacing(double[] spacing)
    {
        ArgumentNullException.ThrowIfNull(spacing);
        if (spacing.Length != 3 || spacing.Any(s => !(s > 0))) throw new ArgumentException("Spacing must be 3 positive numbers.", nameof(spacing));
        int Size(int n, int a) => Math.Max(1, (int)Math.Round(n * Spacing[a] / spacing[a], MidpointRounding.AwayFromZero));
        return new GridGeometry(Size(SizeX, 0), Size(SizeY, 1), Size(SizeZ, 2), [.. spacing], [.. Origin], [.. Direction]);
    }

    /// <summary>
    /// A grid along the patient axes (LPS: +x left, +y posterior, +z head) at <paramref name="spacing"/> that covers
    /// this grid's voxels. Networks trained on head-first axial scans then see every scan the same way round, whatever
    /// its orientation (feet-first, prone, oblique). The extent is that of all eight corners of this grid, so a sheared
    /// (gantry-tilted) grid is covered whole.
    /// </summary>
    public GridGeometry PatientAligned(double[] spacing)
    {
        ArgumentNullException.ThrowIfNull(spacing);
        if (spacing.Length != 3 || spacing.Any(s => !(s > 0))) throw new ArgumentException("Spacing must be 3 positive numbers.", nameof(spacing));
        double[] min = [double.MaxValue, double.MaxValue, double.MaxValue], max = [double.MinValue, double.MinValue, double.MinValue];
        foreach (var i in new[] { -0.5, SizeX - 0.5 })
        {
            foreach (var j in new[] { -0.5, SizeY - 0.5 })
            {
                foreach (var k in new[] { -0.5, SizeZ - 0.5 })
                {
                    var (x, y, z) = ToPatient(i, j, k);
                    double[] p = [x, y, z];
                    for (var a = 0; a < 3; a++)
                    {
                        min[a] = Math.Min(min[a], p[a]);
                        max[a] = Math.Max(max[a], p[a]);
                    }
                }
            }
        }

        var size = new int[3];
        var origin = new double[3];
        for (var a = 0; a < 3; a++)
        {
            size[a] = Math.Max(1, (int)Math.Round((max[a] - min[a]) / spacing[a] - 1e-9, MidpointRounding.AwayFromZero));
            // Centre the new voxels on the covered extent.
            origin[a] = (min[a] + max[a]) / 2 - (size[a] - 1) * spacing[a] / 2;
        }
        return new GridGeometry(size[0], size[1], size[2], [.. spacing], origin, [1, 0, 0, 0, 1, 0, 0, 0, 1]);
    }

    /// <summary>An empty volume on this grid (one array per slice).</summary>
    public ImageVolume NewVolume()
    {
        var slices = new float[SizeZ][];
        for (var k = 0; k < SizeZ; k++) slices[k] = new float[SliceLength];
        return new ImageVolume(SizeX, SizeY, [.. Spacing], [.. Origin], [.. Direction], slices);
    }

    /// <summary>Row-major 3×3 matrix M with world = Origin + M·(i, j, k).</summary>
    internal double[] IndexToWorld()
    {
        var m = new double[9];
        for (var r = 0; r < 3; r++)
        {
            for (var a = 0; a < 3; a++)
                m[r * 3 + a] = Direction[a * 3 + r] * Spacing[a];
        }

        return m;
    }

    /// <summary>
    /// The affine map from this grid's voxel coordinates to <paramref name="target"/>'s: target = A·index + B, with A
    /// row-major.
    /// </summary>
    internal (double[] A, double[] B) MapTo(GridGeometry target)
    {
        var inv = Inverse(target.IndexToWorld());
        var m = IndexToWorld();
        var a = new double[9];
        for (var r = 0; r < 3; r++)
        {
            for (var c = 0; c < 3; c++)
                a[r * 3 + c] = inv[r * 3] * m[c] + inv[r * 3 + 1] * m[3 + c] + inv[r * 3 + 2] * m[6 + c];
        }

        double[] d = [Origin[0] - target.Origin[0], Origin[1] - target.Origin[1], Origin[2] - target.Origin[2]];
        double[] b = [.. Enumerable.Range(0, 3).Select(r => inv[r * 3] * d[0] + inv[r * 3 + 1] * d[1] + inv[r * 3 + 2] * d[2])];
        return (a, b);
    }

    private static double[] Inverse(double[] m)
    {
        double a = m[0], b = m[1], c = m[2], d = m[3], e = m[4], f = m[5], g = m[6], h = m[7], i = m[8];
        var det = a * (e * i - f * h) - b * (d * i - f * g) + c * (d * h - e * g);
        if (Math.Abs(det) < 1e-12) throw new ArgumentException("The grid's direction cosines and spacing do not span 3-D space.");
        var s = 1 / det;
        return
        [
            (e * i - f * h) * s, (c * h - b * i) * s, (b * f - c * e) * s,
            (f * g - d * i) * s, (a * i - c * g) * s, (c * d - a * f) * s,
            (d * h - e * g) * s, (b * g - a * h) * s, (a * e - b * d) * s,
        ];
    }
}
