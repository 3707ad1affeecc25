using InnerEye.Imaging.Nifti;
using InnerEye.Imaging.Series;
using InnerEye.Imaging.Tests.Support;

namespace InnerEye.Inference.Tests.Support;

/// <summary>
/// Debian's plastimatch as an independent rasteriser of RT Structure Sets: <c>plastimatch convert</c> writes one NIfTI
/// mask per structure, which is sampled back onto a series' grid through the NIfTI sform (RAS) and the series' geometry (LPS).
/// </summary>
public static class Plastimatch
{
    /// <summary>The test needs plastimatch: Skipped without it, and failed with CI=true.</summary>
    public static void Require() => ExternalProcess.Require("plastimatch");

    public static bool IsInstalled => ExternalProcess.IsInstalled("plastimatch");

    public static Dictionary<string, byte[]> Rasterize(string rtFile, string ctFolder, LoadedSeries series, string scratch)
    {
        var output = Path.Combine(scratch, "plastimatch");
        ExternalProcess.Run("plastimatch", ["convert", "--input", rtFile, "--referenced-ct", ctFolder, "--output-prefix", output,
            "--prefix-format", "nii"]);
        return Directory.GetFiles(output, "*.nii").ToDictionary(f => Path.GetFileNameWithoutExtension(f),
            f => Sample(NiftiReader.Read(f), series.Volume));
    }

    /// <summary>The mask's value at the centre of every voxel of <paramref name="v"/> (nearest neighbour).</summary>
    private static byte[] Sample(NiftiImage mask, ImageVolume v)
    {
        var m = mask.Sform;
        var inverse = Invert3x3([m[0], m[1], m[2], m[4], m[5], m[6], m[8], m[9], m[10]]);
        var result = new byte[v.VoxelCount];
        Parallel.For(0, v.SizeZ, k =>
        {
            for (var j = 0; j < v.SizeY; j++)
            {
                for (var i = 0; i < v.SizeX; i++)
                {
                    var (x, y, z) = v.ToPatient(i, j, k);
                    double rx = -x - m[3], ry = -y - m[7], rz = z - m[11];
                    var a = (int)Math.Round(inverse[0] * rx + inverse[1] * ry + inverse[2] * rz);
                    var b = (int)Math.Round(inverse[3] * rx + inverse[4] * ry + inverse[5] * rz);
                    var c = (int)Math.Round(inverse[6] * rx + inverse[7] * ry + inverse[8] * rz);
                    if (a < 0 || b < 0 || c < 0 || a >= mask.Size[0] || b >= mask.Size[1] || c >= mask.Size[2]) continue;
                    result[(long)k * v.SliceLength + j * v.SizeX + i] = mask.Data[((long)c * mask.Size[1] + b) * mask.Size[0] + a] != 0
                        ? (byte)1 : (byte)0;
                }
            }
        });
        return result;
    }

    private static double[] Invert3x3(double[] a)
    {
        var det = a[0] * (a[4] * a[8] - a[5] * a[7]) - a[1] * (a[3] * a[8] - a[5] * a[6]) + a[2] * (a[3] * a[7] - a[4] * a[6]);
        return
        [
            (a[4] * a[8] - a[5] * a[7]) / det, (a[2] * a[7] - a[1] * a[8]) / det, (a[1] * a[5] - a[2] * a[4]) / det,
            (a[5] * a[6] - a[3] * a[8]) / det, (a[0] * a[8] - a[2] * a[6]) / det, (a[2] * a[3] - a[0] * a[5]) / det,
            (a[3] * a[7] - a[4] * a[6]) / det, (a[1] * a[6] - a[0] * a[7]) / det, (a[0] * a[4] - a[1] * a[3]) / det,
        ];
    }
}
