using InnerEye.Imaging.Contours;
using InnerEye.Imaging.Dicom;
using InnerEye.Imaging.Rt;
using InnerEye.Imaging.Series;
using InnerEye.Imaging.Tests.Contours;

namespace InnerEye.Imaging.Tests.Rt;

/// <summary>Source series kinds, label volumes and a reader of written structure sets, shared by the RT tests.</summary>
internal static class RtTestData
{
    public static readonly double[] ObliqueOrientation = Oblique(20, 30);

    public static SyntheticCtSpec Spec(string kind) => kind switch
    {
        "axial" => new SyntheticCtSpec { Name = kind },
        // Rotated 20° about z, then tilted 30° about the rotated x axis.
        "oblique" => new SyntheticCtSpec { Name = kind, Orientation = ObliqueOrientation, Origin = [10.3, -20.7, 5.1], ColumnSpacing = 0.7,
            RowSpacing = 0.7, SliceSpacing = 1.25 },
        // Row direction flipped: the slice normal points to the feet, and file names run head to feet.
        "feet-first" => new SyntheticCtSpec { Name = kind, Orientation = [-1, 0, 0, 0, 1, 0], Origin = [15.5, -12.5, 60.0], ReverseFileOrder = true },
        // The gateway's anonymised form: 64-digit hashed UIDs as LO in explicit VR, no patient or study attributes.
        "hashed" => new SyntheticCtSpec { Name = kind, HashedUids = true, PatientData = false },
        // Far from the origin: coordinates near −100 m must still fit 16-character decimal strings.
        "far" => new SyntheticCtSpec { Name = kind, Origin = [-99999.5, -99999.5, -99999.5], ColumnSpacing = 0.977, RowSpacing = 0.977,
            SliceSpacing = 3 },
        _ => throw new ArgumentException(kind),
    };

    public static TheoryData<string> Kinds => new() { "axial", "oblique", "feet-first", "hashed", "far" };

    private static double[] Oblique(double aboutZ, double tilt)
    {
        double a = aboutZ * Math.PI / 180, b = tilt * Math.PI / 180;
        double[] row = [Math.Cos(a), Math.Sin(a), 0];
        double[] col = [-Math.Sin(a) * Math.Cos(b), Math.Cos(a) * Math.Cos(b), Math.Sin(b)];
        return [.. row, .. col];
    }

    /// <summary>Five structures: a solid block, a ring with an island in its hole (holes kept), the same ring with
    /// holes filled, one that is never drawn, and a diagonal staircase that touches the image border.</summary>
    public static readonly RtStructure[] Structures =
    [
        new("Solid", 255, 0, 0, "ORGAN", false),
        new("Ring", 0, 255, 0, "ORGAN", false),
        new("RingFilled", 0, 0, 255, "CTV", true),
        new("Empty", 10, 20, 30, "None", false),
        new("Border", 200, 100, 7, "EXTERNAL", false),
    ];

    /// <summary>A label volume for <see cref="Structures"/> on the series grid; slice 0 is empty, shapes move with z.</summary>
    public static byte[] Labels(ImageVolume volume)
    {
        int w = volume.SizeX, h = volume.SizeY, d = volume.SizeZ;
        var labels = new byte[w * h * d];
        for (var z = 1; z < d; z++)
        {
            var offset = z * w * h;
            void Set(int x, int y, byte v)
            {
                if (x >= 0 && y >= 0 && x < w && y < h) labels[offset + y * w + x] = v;
            }
            // 1: a block that grows with z.
            for (var y = 2; y < 5 + z; y++)
                for (var x = 2 + z % 2; x < 8; x++) Set(x, y, 1);
            // 2: a ring with an island inside its hole (on odd slices a second, pinched ring beside it).
            Ring(Set, 10, 2, 9, 2);
            if (z % 2 == 1) { Ring(Set, 20, 2, 5, 2); Set(25, 7, 2); }
            // 3: the same kind of ring, hole filled when written.
            Ring(Set, 10, 14, 9 + z % 3, 3);
            // 5: a staircase from the left border, cells touching only at corners.
            for (var k = 0; k < 6; k++) Set(k, h - 1 - k, 5);
            Set(w - 1, 0, 5);
            Set(w - 1, h - 1, 5);
        }
        return labels;
    }

    private static void Ring(Action<int, int, byte> set, int x0, int y0, int size, byte label)
    {
        for (var y = 0; y < size; y++)
        {
            for (var x = 0; x < size; x++)
            {
                var edge = x < 2 || y < 2 || x >= size - 2 || y >= size - 2;
                if (edge) set(x0 + x, y0 + y, label);
            }
        }

        set(x0 + size / 2, y0 + size / 2, label); // island in the hole
    }

    /// <summary>The mask a reader should recover for structure <paramref name="s"/> (0-based) on slice z.</summary>
    public static byte[] ExpectedMask(byte[] labels, ImageVolume volume, IReadOnlyList<RtStructure> structures, int s, int z)
    {
        int w = volume.SizeX, h = volume.SizeY;
        var binary = MaskTestHelpers.Binary(labels.AsSpan(z * w * h, w * h).ToArray(), (byte)(s + 1));
        return structures[s].FillHoles ? MaskTestHelpers.FillHolesReference(binary, w, h) : binary;
    }

    /// <summary>One contour as read back with our reader.</summary>
    public sealed record ReadContour(int RoiNumber, string ImageUid, string ImageClass, int Points, double[] Data, string[] RawValues, string Type);

    /// <summary>Every contour of a written structure set, read with <see cref="DicomReader"/>.</summary>
    public static List<ReadContour> ReadContours(DicomFile file)
    {
        var result = new List<ReadContour>();
        foreach (var roi in file.Dataset.Items(DicomTags.ROIContourSequence))
        {
            var number = roi.GetInt32(DicomTags.ReferencedROINumber) ?? throw new InvalidOperationException("no ReferencedROINumber");
            foreach (var c in roi.Items(DicomTags.ContourSequence))
            {
                var image = Assert.Single(c.Items(DicomTags.ContourImageSequence));
                var raw = System.Text.Encoding.ASCII.GetString(c.ValueBytes(DicomTags.ContourData));
                result.Add(new ReadContour(number, image.GetString(DicomTags.ReferencedSOPInstanceUID)!,
                    image.GetString(DicomTags.ReferencedSOPClassUID)!, c.GetInt32(DicomTags.NumberOfContourPoints) ?? -1,
                    c.GetDoubles(DicomTags.ContourData)!, raw.TrimEnd(' ').Split('\\'), c.GetString(DicomTags.ContourGeometricType)!));
            }
        }
        return result;
    }

    /// <summary>Maps patient points back to continuous voxel coordinates through the volume's geometry.</summary>
    public static Func<double, double, double, (double I, double J, double K)> InverseGeometry(ImageVolume v) => v.ToVoxel;

    /// <summary>Rasterizes the read-back contours of one ROI on one slice (even-odd over all of them).</summary>
    public static byte[] Rasterize(IEnumerable<ReadContour> contours, ImageVolume volume, int z,
        Func<double, double, double, (double I, double J, double K)> inverse)
    {
        var polygons = new List<double[]>();
        foreach (var c in contours)
        {
            var xy = new double[c.Points * 2];
            for (var p = 0; p < c.Points; p++)
            {
                var (i, j, k) = inverse(c.Data[3 * p], c.Data[3 * p + 1], c.Data[3 * p + 2]);
                Assert.True(Math.Abs(k - z) < 0.01, $"contour point on slice {k}, expected {z}");
                xy[2 * p] = i;
                xy[2 * p + 1] = j;
            }
            polygons.Add(xy);
        }
        return PolygonRasterizer.Rasterize(polygons, volume.SizeX, volume.SizeY);
    }
}
