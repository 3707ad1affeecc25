using System.Globalization;
using System.IO.Compression;
using InnerEye.Imaging.Dicom;
using InnerEye.Imaging.Phantoms;

namespace InnerEye.Gateway.Api.Tests.Support;

/// <summary>
/// Phantom CT series in the gateway's zip layout, feet first or turned obliquely: the oblique one is the head-first
/// phantom rotated as a rigid body (20° about the patient's left-right axis, then 15° about the head-foot axis), so
/// that its rows, columns and slices all run obliquely to the patient axes.
/// </summary>
public static class OrientedPhantoms
{
    public static byte[] Zip(int seed, bool feetFirst, bool oblique, int size = 48, int slices = 20)
    {
        var phantom = ThoraxPhantom.Generate(new ThoraxPhantomOptions
        {
            Seed = seed, Rows = size, Columns = size, Slices = slices, FeetFirst = feetFirst, ColumnSpacing = 1.25, SliceSpacing = 2.5,
        });
        var rotation = oblique ? Multiply(AboutZ(15), AboutX(20)) : AboutZ(0);
        using var buffer = new MemoryStream();
        using (var archive = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            for (var k = 0; k < slices; k++)
            {
                var slice = PhantomWriter.BuildSlice(phantom, k);
                var g = phantom.Geometry;
                var row = Apply(rotation, g.Direction[..3]);
                var column = Apply(rotation, g.Direction[3..6]);
                var position = Apply(rotation, g.SlicePosition(k));
                slice.Set(DicomTags.ImageOrientationPatient, DicomVR.DS, string.Join('\\', row.Concat(column).Select(Ds)));
                slice.Set(DicomTags.ImagePositionPatient, DicomVR.DS, string.Join('\\', position.Select(Ds)));
                using var entry = archive.CreateEntry($"ct/{k}", CompressionLevel.Fastest).Open();
                entry.Write(DicomWriter.WriteFile(slice, TransferSyntax.ExplicitVRLittleEndian));
            }
        }
        return buffer.ToArray();
    }

    private static string Ds(double v) => v.ToString("0.######", CultureInfo.InvariantCulture);

    private static double[] Apply(double[,] m, double[] v) =>
        [.. Enumerable.Range(0, 3).Select(i => m[i, 0] * v[0] + m[i, 1] * v[1] + m[i, 2] * v[2])];

    private static double[,] AboutX(double degrees)
    {
        var (s, c) = Math.SinCos(degrees * Math.PI / 180);
        return new double[,] { { 1, 0, 0 }, { 0, c, -s }, { 0, s, c } };
    }

    private static double[,] AboutZ(double degrees)
    {
        var (s, c) = Math.SinCos(degrees * Math.PI / 180);
        return new double[,] { { c, -s, 0 }, { s, c, 0 }, { 0, 0, 1 } };
    }

    private static double[,] Multiply(double[,] a, double[,] b)
    {
        var m = new double[3, 3];
        for (var i = 0; i < 3; i++)
        for (var j = 0; j < 3; j++)
        for (var k = 0; k < 3; k++) m[i, j] += a[i, k] * b[k, j];
        return m;
    }
}
