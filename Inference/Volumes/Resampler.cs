using InnerEye.Imaging.Series;

namespace InnerEye.Inference;

/// <summary>
/// Trilinear resampling through patient coordinates: every target voxel centre is mapped into the source grid with
/// both grids' full direction matrices, so grids of any orientation (feet-first, flipped, oblique) resample correctly.
/// A source voxel stands for the half voxel around its centre (values there are edge-replicated); target voxels
/// further outside get the fill value.
/// </summary>
public static class Resampler
{
    /// <summary>
    /// The grid <paramref name="source"/> is resampled onto for a target spacing: same direction cosines and origin
    /// (the first voxel's centre), size = round(size · spacing / target spacing) so that the physical extent is kept.
    /// </summary>
    public static GridGeometry TargetGrid(GridGeometry source, double[] targetSpacing) => source.WithSpacing(targetSpacing);

    /// <summary>Resamples onto the grid with <paramref name="targetSpacing"/> (see <see cref="TargetGrid"/>).</summary>
    public static ImageVolume Resample(ImageVolume source, double[] targetSpacing, float? fill = null,
        CancellationToken cancellationToken = default) =>
        Resample(source, TargetGrid(GridGeometry.Of(source), targetSpacing), fill, cancellationToken);

    /// <summary>
    /// Resamples <paramref name="source"/> onto <paramref name="target"/> (e.g. channel B onto channel A's grid).
    /// Outside the source, values are <paramref name="fill"/>, or the source's minimum (air for CT) when null.
    /// </summary>
    public static ImageVolume Resample(ImageVolume source, GridGeometry target, float? fill = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(target);
        var outside = fill ?? Minimum(source);
        var result = target.NewVolume();
        var (a, b) = target.MapTo(GridGeometry.Of(source));
        int nx = source.SizeX, ny = source.SizeY, nz = source.SizeZ, tx = target.SizeX, ty = target.SizeY;
        var slices = source.Slices;
        Parallel.For(0, target.SizeZ, new ParallelOptions { CancellationToken = cancellationToken }, k =>
        {
            var output = result.Slices[k];
            for (var j = 0; j < ty; j++)
            {
                double x = a[1] * j + a[2] * k + b[0], y = a[4] * j + a[5] * k + b[1], z = a[7] * j + a[8] * k + b[2];
                var row = j * tx;
                for (var i = 0; i < tx; i++, x += a[0], y += a[3], z += a[6])
                {
                    output[row + i] = Interpolation.Axis(x, nx, out var x0, out var x1, out var fx)
                        && Interpolation.Axis(y, ny, out var y0, out var y1, out var fy)
                        && Interpolation.Axis(z, nz, out var z0, out var z1, out var fz)
                        ? Trilinear(slices, nx, x0, x1, fx, y0, y1, fy, z0, z1, fz)
                        : outside;
                }
            }
        });
        return new ImageVolume(result.SizeX, result.SizeY, result.Spacing, result.Origin, result.Direction, result.Slices) { Lossy = source.Lossy };
    }

    /// <summary>The smallest voxel value (0 for an empty volume).</summary>
    public static float Minimum(ImageVolume volume)
    {
        ArgumentNullException.ThrowIfNull(volume);
        if (volume.VoxelCount == 0) return 0;
        var min = float.MaxValue;
        foreach (var slice in volume.Slices)
        {
            foreach (var v in slice)
            {
                if (v < min) min = v;
            }
        }
        return min;
    }

    internal static float Trilinear(float[][] slices, int nx, int x0, int x1, double fx, int y0, int y1, double fy, int z0, int z1, double fz)
    {
        float[] s0 = slices[z0], s1 = slices[z1];
        int r0 = y0 * nx, r1 = y1 * nx;
        var c00 = s0[r0 + x0] + fx * (s0[r0 + x1] - s0[r0 + x0]);
        var c01 = s0[r1 + x0] + fx * (s0[r1 + x1] - s0[r1 + x0]);
        var c10 = s1[r0 + x0] + fx * (s1[r0 + x1] - s1[r0 + x0]);
        var c11 = s1[r1 + x0] + fx * (s1[r1 + x1] - s1[r1 + x0]);
        var c0 = c00 + fy * (c01 - c00);
        var c1 = c10 + fy * (c11 - c10);
        return (float)(c0 + fz * (c1 - c0));
    }
}
