namespace InnerEye.Inference;

/// <summary>
/// Brings model-grid posteriors back onto the source grid: every source voxel centre is mapped into the model grid
/// through patient coordinates, each class probability is interpolated trilinearly there, and the most probable class
/// (the lowest index on ties) becomes the voxel's label. Works slab by slab and slice by slice of the source, so the
/// posteriors are never held at the source's resolution.
/// </summary>
public static class PosteriorMapper
{
    /// <summary>
    /// Writes the labels of the source voxels that fall into <paramref name="slab"/>'s own model slices into
    /// <paramref name="labels"/> (source grid, x fastest). Voxels outside the model grid are left alone (background).
    /// </summary>
    public static void MapSlab(PosteriorSlab slab, GridGeometry model, GridGeometry source, byte[] labels,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(slab);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(labels);
        if (labels.LongLength != source.VoxelCount) throw new ArgumentException("The label array does not match the source grid.", nameof(labels));
        var classCount = slab.Classes.Length;
        if (classCount > 256) throw new ArgumentException("At most 256 classes fit byte labels.", nameof(slab));
        var (a, b) = source.MapTo(model);
        int mx = model.SizeX, my = model.SizeY, mz = model.SizeZ, sx = source.SizeX, sy = source.SizeY;
        var sliceLength = mx * my;
        var classes = slab.Classes;

        Parallel.For(0, source.SizeZ, new ParallelOptions { CancellationToken = cancellationToken }, k =>
        {
            // The model z coordinate is affine in (i, j): its extremes over the slice are at the corners.
            double zMin = double.MaxValue, zMax = double.MinValue;
            foreach (var (ci, cj) in new[] { (0, 0), (sx - 1, 0), (0, sy - 1), (sx - 1, sy - 1) })
            {
                var z = a[6] * ci + a[7] * cj + a[8] * k + b[2];
                zMin = Math.Min(zMin, z);
                zMax = Math.Max(zMax, z);
            }
            if (zMax < slab.CoreStart - 1 || zMin >= slab.CoreEnd + 1) return;

            var row = (long)k * sx * sy;
            for (var j = 0; j < sy; j++)
            {
                double x = a[1] * j + a[2] * k + b[0], y = a[4] * j + a[5] * k + b[1], z = a[7] * j + a[8] * k + b[2];
                for (var i = 0; i < sx; i++, x += a[0], y += a[3], z += a[6])
                {
                    if (!Interpolation.Axis(z, mz, out var z0, out var z1, out var fz) || z0 < slab.CoreStart || z0 >= slab.CoreEnd) continue;
                    if (!Interpolation.Axis(x, mx, out var x0, out var x1, out var fx)
                        || !Interpolation.Axis(y, my, out var y0, out var y1, out var fy)) continue;
                    int o0 = (z0 - slab.BufferStart) * sliceLength, o1 = (z1 - slab.BufferStart) * sliceLength;
                    int r0 = y0 * mx, r1 = y1 * mx;
                    double gx = 1 - fx, gy = 1 - fy, gz = 1 - fz;
                    double w000 = gz * gy * gx, w001 = gz * gy * fx, w010 = gz * fy * gx, w011 = gz * fy * fx;
                    double w100 = fz * gy * gx, w101 = fz * gy * fx, w110 = fz * fy * gx, w111 = fz * fy * fx;
                    int i000 = o0 + r0 + x0, i001 = o0 + r0 + x1, i010 = o0 + r1 + x0, i011 = o0 + r1 + x1;
                    int i100 = o1 + r0 + x0, i101 = o1 + r0 + x1, i110 = o1 + r1 + x0, i111 = o1 + r1 + x1;
                    var best = 0;
                    var bestValue = double.NegativeInfinity;
                    for (var c = 0; c < classCount; c++)
                    {
                        var p = classes[c];
                        var v = w000 * p[i000] + w001 * p[i001] + w010 * p[i010] + w011 * p[i011]
                              + w100 * p[i100] + w101 * p[i101] + w110 * p[i110] + w111 * p[i111];
                        if (v > bestValue)
                        {
                            bestValue = v;
                            best = c;
                        }
                    }
                    labels[row + (long)j * sx + i] = (byte)best;
                }
            }
        });
    }
}
