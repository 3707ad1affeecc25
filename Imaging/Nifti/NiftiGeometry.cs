namespace InnerEye.Imaging.Nifti;

/// <summary>
/// Conversions between a DICOM volume's geometry (LPS+, as <c>ImageVolume</c> holds it) and NIfTI-1's qform and sform
/// (RAS+). A voxel (i, j, k) of the NIfTI image is the voxel (i, j, k) of the DICOM volume: the affine is the DICOM one
/// with its x and y rows negated.
/// </summary>
public static class NiftiGeometry
{
    /// <summary>
    /// The sform rows (srow_x, srow_y, srow_z) for a volume with the given LPS origin, direction (row cosines, column
    /// cosines, slice normal) and spacing (column, row, slice).
    /// </summary>
    public static double[] SformFromDicom(double[] origin, double[] direction, double[] spacing)
    {
        var m = new double[12];
        for (var r = 0; r < 3; r++)
        {
            var sign = r < 2 ? -1.0 : 1.0;
            for (var c = 0; c < 3; c++) m[r * 4 + c] = sign * direction[c * 3 + r] * spacing[c];
            m[r * 4 + 3] = sign * origin[r];
        }
        return m;
    }

    /// <summary>
    /// The qform parameters (quaternion b, c, d; offsets; qfac) of the same mapping, following nifti1_io's
    /// mat44_to_quatern: the rotation is the RAS direction matrix with its third column negated when its determinant is
    /// negative (qfac = −1).
    /// </summary>
    public static (double[] Quaternion, double[] Offset, double QFac) QformFromDicom(double[] origin, double[] direction)
    {
        // r[row, col]: column c is direction vector c in RAS. A quaternion holds only a rotation: for a sheared grid
        // (a tilted gantry's) the third column is the slice normal with the step's sign, and the qform is approximate.
        var sheared = IsSheared(direction);
        var normal = Normal(direction);
        var sign = normal[0] * direction[6] + normal[1] * direction[7] + normal[2] * direction[8] < 0 ? -1.0 : 1.0;
        var r = new double[3, 3];
        for (var c = 0; c < 3; c++)
        {
            var v = c == 2 && sheared ? [sign * normal[0], sign * normal[1], sign * normal[2]] : direction[(c * 3)..(c * 3 + 3)];
            var n = Math.Sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]);
            r[0, c] = -v[0] / n;
            r[1, c] = -v[1] / n;
            r[2, c] = v[2] / n;
        }
        var det = r[0, 0] * (r[1, 1] * r[2, 2] - r[1, 2] * r[2, 1]) - r[0, 1] * (r[1, 0] * r[2, 2] - r[1, 2] * r[2, 0]) +
            r[0, 2] * (r[1, 0] * r[2, 1] - r[1, 1] * r[2, 0]);
        var qfac = 1.0;
        if (det < 0)
        {
            qfac = -1;
            for (var row = 0; row < 3; row++) r[row, 2] = -r[row, 2];
        }
        double a = r[0, 0] + r[1, 1] + r[2, 2] + 1, b, c2, d;
        if (a > 0.5)
        {
            a = 0.5 * Math.Sqrt(a);
            b = 0.25 * (r[2, 1] - r[1, 2]) / a;
            c2 = 0.25 * (r[0, 2] - r[2, 0]) / a;
            d = 0.25 * (r[1, 0] - r[0, 1]) / a;
        }
        else
        {
            var xd = 1 + r[0, 0] - (r[1, 1] + r[2, 2]);
            var yd = 1 + r[1, 1] - (r[0, 0] + r[2, 2]);
            var zd = 1 + r[2, 2] - (r[0, 0] + r[1, 1]);
            if (xd > 1)
            {
                b = 0.5 * Math.Sqrt(xd);
                c2 = 0.25 * (r[0, 1] + r[1, 0]) / b;
                d = 0.25 * (r[0, 2] + r[2, 0]) / b;
                a = 0.25 * (r[2, 1] - r[1, 2]) / b;
            }
            else if (yd > 1)
            {
                c2 = 0.5 * Math.Sqrt(yd);
                b = 0.25 * (r[0, 1] + r[1, 0]) / c2;
                d = 0.25 * (r[1, 2] + r[2, 1]) / c2;
                a = 0.25 * (r[0, 2] - r[2, 0]) / c2;
            }
            else
            {
                d = 0.5 * Math.Sqrt(zd);
                b = 0.25 * (r[0, 2] + r[2, 0]) / d;
                c2 = 0.25 * (r[1, 2] + r[2, 1]) / d;
                a = 0.25 * (r[1, 0] - r[0, 1]) / d;
            }
            if (a < 0)
            {
                b = -b;
                c2 = -c2;
                d = -d;
            }
        }
        return ([b, c2, d], [-origin[0], -origin[1], origin[2]], qfac);
    }

    /// <summary>
    /// True when the third direction vector leans from the normal of the first two (a tilted gantry's sheared grid):
    /// only the sform can hold that geometry.
    /// </summary>
    public static bool IsSheared(double[] direction, double tolerance = 1e-6)
    {
        var n = Normal(direction);
        var length = Math.Sqrt(direction[6] * direction[6] + direction[7] * direction[7] + direction[8] * direction[8]);
        return 1 - Math.Abs(n[0] * direction[6] + n[1] * direction[7] + n[2] * direction[8]) / length > tolerance;
    }

    private static double[] Normal(double[] d)
    {
        double[] n = [d[1] * d[5] - d[2] * d[4], d[2] * d[3] - d[0] * d[5], d[0] * d[4] - d[1] * d[3]];
        var length = Math.Sqrt(n[0] * n[0] + n[1] * n[1] + n[2] * n[2]);
        return [n[0] / length, n[1] / length, n[2] / length];
    }

    /// <summary>The qform as 3×4 matrix rows (NIfTI-1 method 2).</summary>
    public static double[] QuaternionToMatrix(double[] quaternion, double[] offset, double[] spacing, double qfac)
    {
        double b = quaternion[0], c = quaternion[1], d = quaternion[2];
        var aa = 1 - (b * b + c * c + d * d);
        double a;
        if (aa < 1e-7)
        {
            var n = Math.Sqrt(b * b + c * c + d * d);
            b /= n;
            c /= n;
            d /= n;
            a = 0;
        }
        else
        {
            a = Math.Sqrt(aa);
        }
        var zf = qfac < 0 ? -1.0 : 1.0;
        double[] rot =
        [
            a * a + b * b - c * c - d * d, 2 * (b * c - a * d), 2 * (b * d + a * c),
            2 * (b * c + a * d), a * a + c * c - b * b - d * d, 2 * (c * d - a * b),
            2 * (b * d - a * c), 2 * (c * d + a * b), a * a + d * d - c * c - b * b,
        ];
        var m = new double[12];
        for (var row = 0; row < 3; row++)
        {
            m[row * 4] = rot[row * 3] * spacing[0];
            m[row * 4 + 1] = rot[row * 3 + 1] * spacing[1];
            m[row * 4 + 2] = rot[row * 3 + 2] * spacing[2] * zf;
            m[row * 4 + 3] = offset[row];
        }
        return m;
    }

    /// <summary>Applies 3×4 matrix rows to a voxel index.</summary>
    public static (double X, double Y, double Z) Apply(double[] matrix, double i, double j, double k) =>
        (matrix[0] * i + matrix[1] * j + matrix[2] * k + matrix[3],
         matrix[4] * i + matrix[5] * j + matrix[6] * k + matrix[7],
         matrix[8] * i + matrix[9] * j + matrix[10] * k + matrix[11]);
}
