namespace InnerEye.Imaging.Phantoms;

/// <summary>
/// Where a phantom's voxels lie, in DICOM patient coordinates (LPS, mm), in the form <c>ImageVolume</c> uses: voxel
/// (i, j, k) is at Origin + i·Spacing[0]·row + j·Spacing[1]·column + k·Spacing[2]·normal. Slice k is the file with
/// InstanceNumber k + 1, and k also counts along the slice normal, so slice k is slice k of the loaded volume.
/// </summary>
public sealed record PhantomGeometry(int Columns, int Rows, int Slices, double[] Spacing, double[] Origin, double[] Direction, bool FeetFirst)
{
    /// <summary>"HFS" (head first supine) or "FFS" (feet first supine).</summary>
    public string PatientPosition => FeetFirst ? "FFS" : "HFS";

    /// <summary>ImageOrientationPatient: the row then the column direction cosines.</summary>
    public double[] ImageOrientation => Direction[..6];

    /// <summary>ImagePositionPatient of slice <paramref name="k"/>: the centre of its first pixel.</summary>
    public double[] SlicePosition(int k) => [Origin[0] + k * Spacing[2] * Direction[6], Origin[1] + k * Spacing[2] * Direction[7],
        Origin[2] + k * Spacing[2] * Direction[8]];

    public (double X, double Y, double Z) ToPatient(double i, double j, double k)
    {
        var d = Direction;
        double a = i * Spacing[0], b = j * Spacing[1], c = k * Spacing[2];
        return (Origin[0] + a * d[0] + b * d[3] + c * d[6], Origin[1] + a * d[1] + b * d[4] + c * d[7], Origin[2] + a * d[2] + b * d[5] + c * d[8]);
    }
}

/// <summary>
/// A synthetic thorax CT with ground-truth labels, fixed by a seed: body outline with subcutaneous fat and muscle,
/// two textured lungs with vessels, heart, segmented vertebrae with canal and spinal cord, and an oesophagus with an
/// air lumen, under Gaussian noise. Every voxel's HU comes from the tissue its label names (plus noise), and labels
/// never overlap.
/// </summary>
public sealed class ThoraxPhantom
{
    /// <summary>Stored value = HU + 1024 (RescaleIntercept −1024, slope 1), as a signed 16-bit sample.</summary>
    public const int RescaleIntercept = -1024;
    public const short MinHu = -1024, MaxHu = 3071;

    public ThoraxPhantomOptions Options { get; }
    public PhantomGeometry Geometry { get; }
    public ThoraxAnatomy Anatomy { get; }

    /// <summary>The patient z (mm) of the centre of the scanned range, drawn from the seed like a table position.</summary>
    public double CentreZ { get; }

    /// <summary>HU per slice, x fastest then y; slice k as <see cref="PhantomGeometry"/> orders them.</summary>
    public short[][] Hu { get; }

    /// <summary><see cref="PhantomLabel"/> values per slice, on the same grid.</summary>
    public byte[][] Labels { get; }

    /// <summary><see cref="PhantomTissue"/> values per slice, on the same grid.</summary>
    public byte[][] Tissues { get; }

    private ThoraxPhantom(ThoraxPhantomOptions options, PhantomGeometry geometry, ThoraxAnatomy anatomy, double centreZ)
    {
        Options = options;
        Geometry = geometry;
        Anatomy = anatomy;
        CentreZ = centreZ;
        var length = geometry.Columns * geometry.Rows;
        Hu = new short[geometry.Slices][];
        Labels = new byte[geometry.Slices][];
        Tissues = new byte[geometry.Slices][];
        for (var k = 0; k < geometry.Slices; k++)
        {
            Hu[k] = new short[length];
            Labels[k] = new byte[length];
            Tissues[k] = new byte[length];
        }
    }

    public static ThoraxPhantom Generate(ThoraxPhantomOptions options, int maxDegreeOfParallelism = -1)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var anatomy = new ThoraxAnatomy(options.Seed);
        var rng = new Random(PhantomRandom.Derive(options.Seed, "geometry", 0));
        var (geometry, centreZ) = BuildGeometry(options, anatomy, rng);
        var phantom = new ThoraxPhantom(options, geometry, anatomy, centreZ);
        Parallel.For(0, geometry.Slices, new ParallelOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism }, phantom.Paint);
        return phantom;
    }

    private static (PhantomGeometry, double) BuildGeometry(ThoraxPhantomOptions o, ThoraxAnatomy anatomy, Random rng)
    {
        var drawn = Math.Round(0.6 + 0.6 * rng.NextDouble(), 3);
        // A scanner's display field of view is chosen to hold the patient: widen the drawn pixel size (within 1.2 mm)
        // until the body fits with a margin.
        var fit = Math.Max(2 * anatomy.BodySemiWidth * 1.08 / o.Columns, 2 * anatomy.BodySemiDepth * 1.08 / o.Rows);
        var pixel = Math.Max(drawn, Math.Min(1.2, Math.Ceiling(fit * 1000) / 1000));
        var drawnSlice = Math.Round(1 + 4 * rng.NextDouble(), 2);
        var centreZ = Math.Round(-400 + 350 * rng.NextDouble(), 1);
        double sx = o.ColumnSpacing ?? pixel, sy = o.RowSpacing ?? o.ColumnSpacing ?? pixel, sz = o.SliceSpacing ?? drawnSlice;
        var halfX = (o.Columns - 1) / 2.0 * sx;
        var halfY = (o.Rows - 1) / 2.0 * sy;
        var halfZ = (o.Slices - 1) / 2.0 * sz;
        double[] direction = o.FeetFirst ? [-1, 0, 0, 0, 1, 0, 0, 0, -1] : [1, 0, 0, 0, 1, 0, 0, 0, 1];
        double[] origin = o.FeetFirst ? [halfX, -halfY, centreZ + halfZ] : [-halfX, -halfY, centreZ - halfZ];
        return (new PhantomGeometry(o.Columns, o.Rows, o.Slices, [sx, sy, sz], origin, direction, o.FeetFirst), centreZ);
    }

    /// <summary>Voxel counts per label value (index 0 is background).</summary>
    public long[] LabelCounts()
    {
        var counts = new long[PhantomStructures.Names.Count + 1];
        foreach (var slice in Labels)
        {
            foreach (var label in slice) counts[label]++;
        }
        return counts;
    }

    private void Paint(int k)
    {
        var g = Geometry;
        var a = Anatomy;
        int nx = g.Columns, ny = g.Rows;
        var (_, _, z) = g.ToPatient(0, 0, k);
        var zRel = z - CentreZ;
        var section = a.Section(zRel);
        var tissues = Tissues[k];
        var labels = Labels[k];
        var hu = Hu[k];

        var xs = new double[nx];
        var ys = new double[ny];
        for (var i = 0; i < nx; i++) xs[i] = g.ToPatient(i, 0, k).X;
        for (var j = 0; j < ny; j++) ys[j] = g.ToPatient(0, j, k).Y;

        for (var j = 0; j < ny; j++)
        {
            for (var i = 0; i < nx; i++)
            {
                var (u, v) = a.ToAnatomical(xs[i], ys[j]);
                tissues[j * nx + i] = (byte)a.TissueAt(section, u, v);
            }
        }

        // Vessels: discs drawn over lung tissue of their own side only, so they stay inside the lung label.
        double step0 = g.Spacing[0] * g.Direction[0], step1 = g.Spacing[1] * g.Direction[4];
        foreach (var (lung, vessel, vu, vv, radius) in a.Vessels(section))
        {
            var (cx, cy) = a.ToPatient(vu, vv);
            var (i0, i1) = Range((cx - radius - g.Origin[0]) / step0, (cx + radius - g.Origin[0]) / step0, nx);
            var (j0, j1) = Range((cy - radius - g.Origin[1]) / step1, (cy + radius - g.Origin[1]) / step1, ny);
            for (var j = j0; j <= j1; j++)
            {
                for (var i = i0; i <= i1; i++)
                {
                    double dx = xs[i] - cx, dy = ys[j] - cy;
                    if (dx * dx + dy * dy <= radius * radius && tissues[j * nx + i] == (byte)lung) tissues[j * nx + i] = (byte)vessel;
                }
            }
        }

        var noise = new Random(PhantomRandom.Derive(Options.Seed, "noise", k));
        var sigma = a.NoiseSigma;
        for (var j = 0; j < ny; j++)
        {
            for (var i = 0; i < nx; i += 2)
            {
                // Box–Muller: two normal deviates per pair of uniforms.
                var r = Math.Sqrt(-2 * Math.Log(1 - noise.NextDouble()));
                var phi = 2 * Math.PI * noise.NextDouble();
                var (sin, cos) = Math.SinCos(phi);
                Set(i, r * cos);
                if (i + 1 < nx) Set(i + 1, r * sin);
            }

            void Set(int i, double deviate)
            {
                var index = j * nx + i;
                var tissue = (PhantomTissue)tissues[index];
                var (u, v) = a.ToAnatomical(xs[i], ys[j]);
                var value = Math.Round(a.Hu(tissue, u, v, zRel) + sigma * deviate);
                hu[index] = (short)Math.Clamp(value, MinHu, MaxHu);
                labels[index] = (byte)PhantomStructures.LabelOf(tissue);
            }
        }
    }

    private static (int, int) Range(double a, double b, int n)
    {
        var lo = (int)Math.Floor(Math.Min(a, b));
        var hi = (int)Math.Ceiling(Math.Max(a, b));
        return (Math.Clamp(lo, 0, n - 1), Math.Clamp(hi, 0, n - 1));
    }
}
