using InnerEye.Imaging.Series;
using InnerEye.Inference.Tests.Support;

namespace InnerEye.Inference.Tests;

public sealed class ResamplerTests
{
    private static float Smooth(int i, int j, int k) => (float)(100 * Math.Sin(i * 0.4) * Math.Cos(j * 0.3) + 20 * k);

    private static void AssertClose(ImageVolume expected, ImageVolume actual, float tolerance)
    {
        Assert.Equal((expected.SizeX, expected.SizeY, expected.SizeZ), (actual.SizeX, actual.SizeY, actual.SizeZ));
        for (var k = 0; k < expected.SizeZ; k++)
        {
            for (var v = 0; v < expected.SliceLength; v++)
            {
                Assert.True(Math.Abs(expected.Slices[k][v] - actual.Slices[k][v]) <= tolerance,
                    $"voxel {v} of slice {k}: expected {expected.Slices[k][v]}, got {actual.Slices[k][v]}");
            }
        }
    }

    [SkippableFact]
    public void TargetGridKeepsTheExtentAndTheOrigin()
    {
        var grid = new GridGeometry(100, 80, 31, [0.8, 0.8, 2.5], [-40, -30, 10], [0, 1, 0, 0, 0, -1, -1, 0, 0]);
        var target = Resampler.TargetGrid(grid, [1.5, 1.0, 3.0]);
        Assert.Equal((53, 64, 26), (target.SizeX, target.SizeY, target.SizeZ)); // 80/1.5 = 53.3, 64, 77.5/3 = 25.8
        Assert.Equal(grid.Origin, target.Origin);
        Assert.Equal(grid.Direction, target.Direction);
        Assert.Equal([1.5, 1.0, 3.0], target.Spacing);
    }

    [SkippableFact]
    public void UpsamplingThenDownsamplingReturnsTheOriginal()
    {
        var source = Volumes.Create(20, 16, 9, [1.2, 1.2, 3], [5, -7, 100], Volumes.Axial, Smooth);
        var up = Resampler.Resample(source, [0.6, 0.4, 1]);
        Assert.Equal((40, 48, 27), (up.SizeX, up.SizeY, up.SizeZ));
        var back = Resampler.Resample(up, GridGeometry.Of(source));
        AssertClose(source, back, 1e-3f);
    }

    [SkippableFact]
    public void AnisotropicResamplingReproducesALinearFunctionOfPatientCoordinates()
    {
        static float F(double x, double y, double z) => (float)(2 * x - 3 * y + 0.5 * z);
        var source = Volumes.FromWorld(30, 25, 12, [0.9, 1.1, 2.5], [-10, 20, -5], Volumes.Axial, F);
        var target = Resampler.Resample(source, [0.7, 1.3, 2.9]);
        var grid = GridGeometry.Of(target);
        var checkedVoxels = 0;
        for (var k = 0; k < target.SizeZ; k++)
        {
            for (var j = 0; j < target.SizeY; j++)
            {
                for (var i = 0; i < target.SizeX; i++)
                {
                    var (x, y, z) = grid.ToPatient(i, j, k);
                    var (si, sj, sk) = GridGeometry.Of(source).ToVoxel(x, y, z);
                    if (si > 29 || sj > 24 || sk > 11) continue; // the edge half voxel is replicated, not extrapolated
                    Assert.Equal(F(x, y, z), target.Slices[k][j * target.SizeX + i], 2);
                    checkedVoxels++;
                }
            }
        }

        Assert.True(checkedVoxels > target.VoxelCount / 2);
    }

    [SkippableFact]
    public void AFeetFirstFlippedVolumeResampledOntoItselfIsUnchanged()
    {
        double[] flipped = [-1, 0, 0, 0, -1, 0, 0, 0, -1];
        var source = Volumes.Create(17, 13, 7, [0.7, 0.9, 2], [30, 40, 50], flipped, Smooth);
        var same = Resampler.Resample(source, GridGeometry.Of(source));
        AssertClose(source, same, 0);
    }

    [SkippableFact]
    public void WorldCoordinatesCarryValuesBetweenGridsOfDifferentDirections()
    {
        static float F(double x, double y, double z) => (float)(x + 2 * y - z + 7);
        // A: axial, head first. B: rotated 90° about the z axis and feet first, inside A.
        var a = Volumes.FromWorld(40, 40, 20, [1, 1, 2], [0, 0, 0], Volumes.Axial, F);
        double[] rotated = [0, 1, 0, -1, 0, 0, 0, 0, -1];
        var bGrid = new GridGeometry(15, 12, 8, [1.5, 2.0, 3.0], [30, 5, 30], rotated);
        var b = Resampler.Resample(a, bGrid);
        for (var k = 0; k < bGrid.SizeZ; k++)
        {
            for (var j = 0; j < bGrid.SizeY; j++)
            {
                for (var i = 0; i < bGrid.SizeX; i++)
                {
                    var (x, y, z) = bGrid.ToPatient(i, j, k);
                    Assert.InRange(x, 0, 39);
                    Assert.InRange(z, 0, 38);
                    Assert.Equal(F(x, y, z), b.Slices[k][j * bGrid.SizeX + i], 3);
                }
            }
        }

        // And back: B onto A agrees with A wherever A's voxel lies inside B's grid.
        var back = Resampler.Resample(b, GridGeometry.Of(a), fill: float.NaN);
        var inside = 0;
        for (var k = 0; k < a.SizeZ; k++)
        {
            for (var v = 0; v < a.SliceLength; v++)
            {
                var value = back.Slices[k][v];
                if (float.IsNaN(value)) continue;
                inside++;
                var (x, y, z) = GridGeometry.Of(a).ToPatient(v % 40, v / 40, k);
                var (bi, bj, bk) = bGrid.ToVoxel(x, y, z);
                if (bi < 0 || bj < 0 || bk < 0 || bi > 14 || bj > 11 || bk > 7) continue; // edge half voxels are replicated
                Assert.Equal(F(x, y, z), value, 3);
            }
        }

        Assert.True(inside > 0);
    }

    /// <summary>A tilted gantry's grid: slices step 20° from the normal along the column direction (a shear).</summary>
    private static readonly double[] Tilted = [1, 0, 0, 0, 1, 0, 0, Math.Sin(20 * Math.PI / 180), Math.Cos(20 * Math.PI / 180)];

    [SkippableFact]
    public void AShearedGridMapsBothWaysAndItsPatientAlignedGridCoversItsCorners()
    {
        var grid = new GridGeometry(30, 24, 10, [0.9, 0.9, 3.2], [-12, 8, -40], Tilted);
        foreach (var (i, j, k) in new[] { (0.0, 0.0, 0.0), (29.0, 23.0, 9.0), (3.5, 17.25, 6.5) })
        {
            var (x, y, z) = grid.ToPatient(i, j, k);
            var (bi, bj, bk) = grid.ToVoxel(x, y, z);
            Assert.Equal(i, bi, 9);
            Assert.Equal(j, bj, 9);
            Assert.Equal(k, bk, 9);
        }
        var aligned = grid.PatientAligned([1.0, 1.0, 2.0]);
        Assert.Equal([1, 0, 0, 0, 1, 0, 0, 0, 1], aligned.Direction);
        foreach (var i in new[] { -0.5, 29.5 })
        {
            foreach (var j in new[] { -0.5, 23.5 })
            {
                foreach (var k in new[] { -0.5, 9.5 })
                {
                    var (x, y, z) = grid.ToPatient(i, j, k);
                    var (ai, aj, ak) = aligned.ToVoxel(x, y, z);
                    Assert.InRange(ai, -1, aligned.SizeX);
                    Assert.InRange(aj, -1, aligned.SizeY);
                    Assert.InRange(ak, -1, aligned.SizeZ);
                }
            }
        }
        // The y extent includes the shear: 24 rows of 0.9 mm plus 10 slices' in-plane shift of 3.2·sin 20° each.
        Assert.Equal((int)Math.Round(24 * 0.9 + 10 * 3.2 * Math.Sin(20 * Math.PI / 180)), aligned.SizeY);
    }

    [SkippableFact]
    public void AShearedVolumeResampledOntoAPatientAlignedGridKeepsALinearFunctionOfPatientCoordinates()
    {
        static float F(double x, double y, double z) => (float)(2 * x - 3 * y + 0.5 * z);
        var source = Volumes.FromWorld(30, 24, 10, [0.9, 0.9, 3.2], [-12, 8, -40], Tilted, F);
        var sourceGrid = GridGeometry.Of(source);
        var target = Resampler.Resample(source, sourceGrid.PatientAligned([1.1, 0.8, 2.0]), fill: float.NaN);
        var grid = GridGeometry.Of(target);
        int inside = 0, outside = 0;
        for (var k = 0; k < target.SizeZ; k++)
        {
            for (var j = 0; j < target.SizeY; j++)
            {
                for (var i = 0; i < target.SizeX; i++)
                {
                    var (x, y, z) = grid.ToPatient(i, j, k);
                    var (si, sj, sk) = sourceGrid.ToVoxel(x, y, z);
                    var value = target.Slices[k][j * target.SizeX + i];
                    if (si < -0.5 || sj < -0.5 || sk < -0.5 || si > 29.5 || sj > 23.5 || sk > 9.5)
                    {
                        // Outside the sheared parallelepiped (an orthogonal reading of the grid would put some of these inside).
                        Assert.True(float.IsNaN(value), $"({i}, {j}, {k}) lies outside the source but got {value}");
                        outside++;
                        continue;
                    }
                    Assert.False(float.IsNaN(value));
                    if (si < 0 || sj < 0 || sk < 0 || si > 29 || sj > 23 || sk > 9) continue; // edge half voxels are replicated
                    Assert.Equal(F(x, y, z), value, 2);
                    inside++;
                }
            }
        }

        Assert.True(inside > target.VoxelCount / 3, $"{inside} of {target.VoxelCount} checked");
        Assert.True(outside > 0);
    }

    [SkippableFact]
    public void OutsideTheSourceIsTheMinimumOrTheGivenFill()
    {
        var source = Volumes.Create(4, 4, 4, [1, 1, 1], [0, 0, 0], Volumes.Axial, (i, j, k) => 100 + i + j + k);
        var shifted = new GridGeometry(4, 4, 4, [1, 1, 1], [2.4, 0, 0], Volumes.Axial);
        var result = Resampler.Resample(source, shifted);
        Assert.Equal(102.4f, result.Slices[0][0], 4); // x = 2.4: interpolated
        Assert.Equal(103f, result.Slices[0][1]);      // x = 3.4: within the last voxel's half, replicated
        Assert.Equal(100f, result.Slices[0][2]);      // x = 4.4: outside → the minimum
        Assert.Equal(100f, result.Slices[0][3]);
        var filled = Resampler.Resample(source, shifted, fill: -1024);
        Assert.Equal(-1024f, filled.Slices[0][2]);
        Assert.Equal(103f, filled.Slices[0][1]);
    }

    [SkippableFact]
    public void IntensityWindowClampsAndMapsLinearly()
    {
        var window = new WindowConfig(50, 600, -1, 1);
        Assert.Equal(-1f, IntensityWindow.Apply(-1000, window));
        Assert.Equal(-1f, IntensityWindow.Apply(-250, window));
        Assert.Equal(0f, IntensityWindow.Apply(50, window));
        Assert.Equal(0.5f, IntensityWindow.Apply(200, window));
        Assert.Equal(1f, IntensityWindow.Apply(350, window));
        Assert.Equal(1f, IntensityWindow.Apply(3000, window));
        var volume = Volumes.Create(2, 1, 1, [1, 1, 1], [0, 0, 0], Volumes.Axial, (i, _, _) => i == 0 ? -100 : 125);
        var windowed = IntensityWindow.Apply(volume, new WindowConfig(0, 1000, 0, 255));
        Assert.Equal([102f, 159.375f], windowed.Slices[0]);
        Assert.Equal([-100f, 125f], volume.Slices[0]);
    }
}
