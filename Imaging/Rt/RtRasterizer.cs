using InnerEye.Imaging.Contours;
using InnerEye.Imaging.Series;

namespace InnerEye.Imaging.Rt;

/// <summary>
/// Turns the contours of an ROI back into a mask on a series' grid: each contour goes to the slice it references
/// (or, without a reference, the slice its plane lies on), and a pixel is inside when its centre is inside an odd
/// number of that slice's contours.
/// </summary>
public static class RtRasterizer
{
    /// <summary>A mask (x fastest, slices in the series' order) of one ROI.</summary>
    public static byte[] Rasterize(RtRoi roi, LoadedSeries series)
    {
        var volume = series.Volume;
        var sliceOf = series.Slices.Select((s, k) => (s.SopInstanceUid, k)).ToDictionary(p => p.SopInstanceUid, p => p.k);
        var perSlice = new List<double[]>[volume.SizeZ];
        foreach (var contour in roi.Contours)
        {
            var n = contour.Points.Length / 3;
            if (n < 3) continue;
            var xy = new double[2 * n];
            var kSum = 0.0;
            for (var p = 0; p < n; p++)
            {
                var (i, j, k) = volume.ToVoxel(contour.Points[3 * p], contour.Points[3 * p + 1], contour.Points[3 * p + 2]);
                xy[2 * p] = i;
                xy[2 * p + 1] = j;
                kSum += k;
            }
            var z = sliceOf.TryGetValue(contour.ReferencedSopInstanceUid, out var referenced) ? referenced : (int)Math.Round(kSum / n);
            if (z < 0 || z >= volume.SizeZ) continue;
            (perSlice[z] ??= []).Add(xy);
        }
        var mask = new byte[volume.VoxelCount];
        Parallel.For(0, volume.SizeZ, z =>
        {
            if (perSlice[z] is { } polygons)
                PolygonRasterizer.Rasterize(polygons, volume.SizeX, volume.SizeY, mask.AsSpan(z * volume.SliceLength, volume.SliceLength), 1);
        });
        return mask;
    }
}
