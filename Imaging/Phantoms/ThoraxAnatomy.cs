namespace InnerEye.Imaging.Phantoms;

/// <summary>
/// The random anatomy of one phantom, in an anatomical frame: u along the patient's left (DICOM +x), v posterior
/// (+y), both in mm from the body's centre and turned by <see cref="RotationDegrees"/> about the z axis; z in mm from
/// the centre of the scanned range (superior positive). All shapes are ellipses per slice, so a slice's masks are
/// computed analytically.
/// </summary>
public sealed class ThoraxAnatomy
{
    /// <summary>Body outline semi-axes (mm): half the width (left–right) and half the depth (anterior–posterior).</summary>
    public double BodySemiWidth { get; }
    public double BodySemiDepth { get; }
    public double FatThickness { get; }
    public double RotationDegrees { get; }

    public double FatHu { get; }
    public double MuscleHu { get; }
    public double LungHu { get; }
    public double HeartHu { get; }
    public double EsophagusHu { get; }
    public double CordHu { get; }
    public double CsfHu { get; }
    public double CancellousHu { get; }
    public double CorticalHu { get; }
    public double DiscHu { get; }
    public double VesselHu { get; }
    public const double OutsideAirHu = -1000, LumenHu = -900;

    /// <summary>Standard deviation of the Gaussian noise added to every voxel (HU).</summary>
    public double NoiseSigma { get; }

    /// <summary>Extent along z (mm from the scan centre) of the right and left lungs and the heart.</summary>
    public (double Bottom, double Top) LungRightZ { get; }
    public (double Bottom, double Top) LungLeftZ { get; }
    public (double Bottom, double Top) HeartZ { get; }

    private readonly double _cos, _sin;
    private readonly Ellipse _body, _inner, _lungR, _lungL, _heart, _vertebra, _vertebraCore, _arch, _canal, _cord;
    private readonly double _medialGap, _heartZc, _heartHalf;
    private readonly double _spinousHalfWidth, _spinousFront, _spinousBack;
    private readonly double _discPeriod, _discThickness, _discPhase;
    private readonly double _esoU, _esoV, _esoRadius, _esoPhase1, _esoPhase2, _esoPhase3;
    private readonly Vessel[] _vessels;
    private readonly SmoothNoise _texture;

    private readonly record struct Vessel(int Side, double U, double V, double DU, double DV, double Radius);

    internal ThoraxAnatomy(int seed)
    {
        var rng = new Random(seed);
        double U(double lo, double hi) => lo + (hi - lo) * rng.NextDouble();
        double J(double fraction = 0.2) => 1 + U(-fraction, fraction);

        BodySemiWidth = 165 * J();
        BodySemiDepth = 115 * J();
        FatThickness = U(8, 20);
        RotationDegrees = U(-5, 5);
        var theta = RotationDegrees * Math.PI / 180;
        _cos = Math.Cos(theta);
        _sin = Math.Sin(theta);

        FatHu = U(-110, -90);
        MuscleHu = U(15, 25);
        LungHu = U(-850, -800);
        HeartHu = U(40, 50);
        EsophagusHu = U(30, 40);
        CordHu = U(33, 38);
        CsfHu = U(7, 13);
        CancellousHu = U(300, 400);
        CorticalHu = U(650, 800);
        DiscHu = U(80, 100);
        VesselHu = U(-60, 20);
        NoiseSigma = U(10, 20);

        _body = new Ellipse(0, 0, BodySemiWidth, BodySemiDepth);
        double innerA = BodySemiWidth - FatThickness, innerB = BodySemiDepth - FatThickness;
        _inner = new Ellipse(0, 0, innerA, innerB);
        // Organs must stay clear of the chest wall: inside this ellipse.
        var cavity = new Ellipse(0, 0, innerA - 8, innerB - 8);

        // Spine, placed from the back: spinous process tip, canal, arch, vertebral body.
        var spineU = U(-3, 3);
        var tip = innerB - U(10, 15);
        var canalScale = J(0.15);
        double canalA = 8.5 * canalScale, canalB = 7.5 * canalScale;
        var canalV = tip - 22 * J(0.15);
        _canal = new Ellipse(spineU, canalV, canalA, canalB);
        var cordScale = J(0.15);
        _cord = new Ellipse(spineU + U(-1, 1), canalV + U(-1, 1), Math.Min(5 * cordScale, 0.7 * canalA), Math.Min(4 * cordScale, 0.7 * canalB));
        _arch = new Ellipse(spineU, canalV, canalA + 6, canalB + 5);
        _spinousHalfWidth = 3.5;
        _spinousFront = canalV;
        _spinousBack = tip;
        var vertebraScale = J(0.15);
        double vertebraA = 17 * vertebraScale, vertebraB = 14 * vertebraScale;
        var vertebraV = canalV - canalB - 2 - vertebraB;
        _vertebra = new Ellipse(spineU, vertebraV, vertebraA, vertebraB);
        var cortex = U(1.5, 2.5);
        _vertebraCore = new Ellipse(spineU, vertebraV, vertebraA - cortex, vertebraB - cortex);
        _discPeriod = U(24, 28);
        _discThickness = U(4, 6);
        _discPhase = U(0, _discPeriod);

        // Oesophagus: a tube in front of the vertebral body, a little off the midline.
        _esoRadius = U(7.5, 10);
        _esoU = spineU + (rng.NextDouble() < 0.5 ? -1 : 1) * U(3, 8);
        _esoV = vertebraV - vertebraB - _esoRadius - U(1, 3);
        _esoPhase1 = U(0, 2 * Math.PI);
        _esoPhase2 = U(0, 2 * Math.PI);
        _esoPhase3 = U(0, 2 * Math.PI);

        // Lungs: posterior-ish, either side of the mediastinum, shrunk until they fit inside the cavity.
        _medialGap = U(8, 12);
        _lungR = FitInside(new Ellipse(-0.42 * BodySemiWidth + U(-10, 10), 0.06 * BodySemiDepth + U(-10, 10), 0.30 * BodySemiWidth * J(),
            0.60 * BodySemiDepth * J()), cavity, null);
        _lungL = FitInside(new Ellipse(0.42 * BodySemiWidth + U(-10, 10), 0.06 * BodySemiDepth + U(-10, 10), 0.30 * BodySemiWidth * J(),
            0.60 * BodySemiDepth * J()), cavity, null);
        var leftTop = U(110, 140);
        var leftBottom = -U(110, 140);
        LungLeftZ = (leftBottom, leftTop);
        LungRightZ = (leftBottom + U(10, 20), leftTop + U(-5, 5));

        // Heart: anterior and to the left, filling the mediastinum from the sternum to the spine, its long axis
        // turned toward the left; kept in front of the vertebral body.
        var heartAngle = U(20, 40) * Math.PI / 180;
        double sternum = -(innerB - 8), vertebraFront = vertebraV - vertebraB;
        var heartB = 0.5 * (vertebraFront - sternum) * U(0.8, 0.95);
        _heart = FitInside(new Ellipse(0.12 * BodySemiWidth + U(-10, 10), (sternum + vertebraFront) / 2 + U(-5, 5), heartB * U(1.25, 1.5),
            heartB, heartAngle),
            cavity, v => v <= vertebraFront + 2);
        _heartHalf = 60 * J();
        var heartTop = U(10, 35);
        _heartZc = heartTop - _heartHalf;
        HeartZ = (heartTop - 2 * _heartHalf, heartTop);

        var vessels = new List<Vessel>();
        for (var side = 0; side < 2; side++)
        {
            for (var n = 0; n < 28; n++)
            {
                var r = 0.8 * Math.Sqrt(rng.NextDouble());
                var phi = U(0, 2 * Math.PI);
                vessels.Add(new Vessel(side, r * Math.Cos(phi), r * Math.Sin(phi), U(-0.3, 0.3), U(-0.3, 0.3), U(1.2, 3.2)));
            }
        }
        _vessels = [.. vessels];
        _texture = new SmoothNoise(new Random(PhantomRandom.Derive(seed, "texture", 0)));
    }

    /// <summary>Shrinks an organ about its centre until 72 points of its outline lie inside <paramref name="cavity"/> (and satisfy
    /// <paramref name="vLimit"/>).</summary>
    private static Ellipse FitInside(Ellipse organ, Ellipse cavity, Func<double, bool>? vLimit)
    {
        for (var attempt = 0; attempt < 200; attempt++)
        {
            var fits = true;
            for (var p = 0; p < 72 && fits; p++)
            {
                var (u, v) = organ.Boundary(p * Math.PI / 36);
                fits = cavity.Contains(u, v) && (vLimit is null || vLimit(v));
            }
            if (fits) return organ;
            organ = organ.Scaled(0.97);
        }
        return organ;
    }

    /// <summary>Anatomical (u, v) of a patient point (x, y).</summary>
    internal (double U, double V) ToAnatomical(double x, double y) => (_cos * x + _sin * y, -_sin * x + _cos * y);

    /// <summary>Patient (x, y) of an anatomical point.</summary>
    internal (double X, double Y) ToPatient(double u, double v) => (_cos * u - _sin * v, _sin * u + _cos * v);

    /// <summary>Lung cross-section scale at height z: rounded apex, broad base.</summary>
    private static double LungScale((double Bottom, double Top) range, double z)
    {
        var mid = (range.Bottom + range.Top) / 2;
        var half = (range.Top - range.Bottom) / 2;
        var t = (z - mid) / half;
        if (t is >= 1 or <= -1) return 0;
        var s = t > 0 ? Math.Sqrt(1 - t * t) : Math.Sqrt(1 - Math.Pow(t, 6));
        return s < 0.12 ? 0 : s;
    }

    /// <summary>The shapes of one slice at height z (mm from the scan centre).</summary>
    internal SliceSection Section(double z)
    {
        var sr = LungScale(LungRightZ, z);
        var sl = LungScale(LungLeftZ, z);
        var th = (z - _heartZc) / _heartHalf;
        var sh = Math.Abs(th) < 1 ? Math.Sqrt(1 - th * th) : 0;
        var discPosition = ((z - _discPhase) % _discPeriod + _discPeriod) % _discPeriod;
        var eu = _esoU + 2.5 * Math.Sin(z / 70 + _esoPhase3);
        var lumen = 0.8 + 3.0 * (0.5 + 0.5 * Math.Sin(z / 17 + _esoPhase1)) * (0.5 + 0.5 * Math.Sin(z / 41 + _esoPhase2));
        return new SliceSection
        {
            Z = z,
            LungR = sr > 0 ? _lungR.Scaled(sr) : null,
            LungL = sl > 0 ? _lungL.Scaled(sl) : null,
            Heart = sh > 0.1 ? _heart.Scaled(sh) : null,
            InDisc = discPosition < _discThickness,
            Esophagus = new Ellipse(eu, _esoV, _esoRadius, _esoRadius * 0.85),
            Lumen = new Ellipse(eu, _esoV - 0.5, lumen * 1.4, lumen * 0.7),
        };
    }

    internal sealed class SliceSection
    {
        public double Z;
        public Ellipse? LungR, LungL, Heart;
        public bool InDisc;
        public Ellipse Esophagus, Lumen;
    }

    /// <summary>The tissue at anatomical (u, v) of a slice; later organs override earlier ones.</summary>
    internal PhantomTissue TissueAt(SliceSection s, double u, double v)
    {
        if (!_body.Contains(u, v)) return PhantomTissue.OutsideAir;
        var t = _inner.Contains(u, v) ? PhantomTissue.Muscle : PhantomTissue.Fat;
        if (s.LungR is { } lr && u <= -_medialGap && lr.Contains(u, v)) t = PhantomTissue.LungRight;
        if (s.LungL is { } ll && u >= _medialGap && ll.Contains(u, v)) t = PhantomTissue.LungLeft;
        if (s.Heart is { } h && h.Contains(u, v)) t = PhantomTissue.Heart;
        if (_arch.Contains(u, v) || (Math.Abs(u - _canal.Cx) <= _spinousHalfWidth && v >= _spinousFront
            && v <= _spinousBack)) t = PhantomTissue.CorticalBone;
        if (_vertebra.Contains(u, v))
            t = s.InDisc ? PhantomTissue.Disc : _vertebraCore.Contains(u, v) ? PhantomTissue.CancellousBone : PhantomTissue.CorticalBone;
        if (_canal.Contains(u, v)) t = _cord.Contains(u, v) ? PhantomTissue.SpinalCord : PhantomTissue.Csf;
        if (s.Esophagus.Contains(u, v)) t = s.Lumen.Contains(u, v) ? PhantomTissue.EsophagusLumen : PhantomTissue.EsophagusWall;
        return t;
    }

    /// <summary>The vessels crossing a slice, as discs in anatomical coordinates; they are painted over lung tissue only.</summary>
    internal IEnumerable<(PhantomTissue Lung, PhantomTissue Vessel, double U, double V, double Radius)> Vessels(SliceSection s)
    {
        foreach (var vessel in _vessels)
        {
            var lung = vessel.Side == 0 ? s.LungR : s.LungL;
            if (lung is not { } l) continue;
            double ru = vessel.U + vessel.DU * s.Z / 100, rv = vessel.V + vessel.DV * s.Z / 100;
            if (ru * ru + rv * rv > 0.85 * 0.85) continue;
            // Vessels narrow toward the apex and the base, where the lung's cross-section shrinks.
            var full = vessel.Side == 0 ? _lungR : _lungL;
            var radius = Math.Max(0.8, vessel.Radius * l.A / full.A);
            yield return vessel.Side == 0
                ? (PhantomTissue.LungRight, PhantomTissue.LungVesselRight, l.Cx + ru * l.A, l.Cy + rv * l.B, radius)
                : (PhantomTissue.LungLeft, PhantomTissue.LungVesselLeft, l.Cx + ru * l.A, l.Cy + rv * l.B, radius);
        }
    }

    /// <summary>The noise-free HU of a tissue at anatomical (u, v, z).</summary>
    internal double Hu(PhantomTissue tissue, double u, double v, double z) => tissue switch
    {
        PhantomTissue.OutsideAir => OutsideAirHu,
        PhantomTissue.Fat => FatHu,
        PhantomTissue.Muscle => MuscleHu,
        PhantomTissue.LungRight or PhantomTissue.LungLeft =>
            LungHu + 60 * (0.7 * _texture.Sample(u / 14, v / 14, z / 14) + 0.3 * _texture.Sample(u / 5 + 17, v / 5, z / 5)),
        PhantomTissue.LungVesselRight or PhantomTissue.LungVesselLeft => VesselHu,
        PhantomTissue.Heart => HeartHu,
        PhantomTissue.EsophagusWall => EsophagusHu,
        PhantomTissue.EsophagusLumen => LumenHu,
        PhantomTissue.CancellousBone => CancellousHu + 60 * _texture.Sample(u / 3 + 31, v / 3, z / 3),
        PhantomTissue.CorticalBone => CorticalHu,
        PhantomTissue.Disc => DiscHu,
        PhantomTissue.Csf => CsfHu,
        PhantomTissue.SpinalCord => CordHu,
        _ => 0,
    };
}

/// <summary>An ellipse with centre, semi-axes and a rotation (radians) of its first axis from +u.</summary>
internal readonly struct Ellipse
{
    public readonly double Cx, Cy, A, B, Angle;
    private readonly double _cos, _sin, _ia2, _ib2;

    public Ellipse(double cx, double cy, double a, double b, double angle = 0)
    {
        Cx = cx;
        Cy = cy;
        A = a;
        B = b;
        Angle = angle;
        _cos = Math.Cos(angle);
        _sin = Math.Sin(angle);
        _ia2 = 1 / (a * a);
        _ib2 = 1 / (b * b);
    }

    public bool Contains(double u, double v)
    {
        double du = u - Cx, dv = v - Cy;
        double p = _cos * du + _sin * dv, q = -_sin * du + _cos * dv;
        return p * p * _ia2 + q * q * _ib2 <= 1;
    }

    public Ellipse Scaled(double factor) => new(Cx, Cy, A * factor, B * factor, Angle);

    public (double U, double V) Boundary(double t)
    {
        double p = A * Math.Cos(t), q = B * Math.Sin(t);
        return (Cx + _cos * p - _sin * q, Cy + _sin * p + _cos * q);
    }
}

/// <summary>Smooth value noise in [−1, 1] on a periodic 64³ lattice of unit spacing, smoothstep-interpolated.</summary>
internal sealed class SmoothNoise
{
    private const int N = 64;
    private readonly float[] _lattice = new float[N * N * N];

    public SmoothNoise(Random rng)
    {
        for (var i = 0; i < _lattice.Length; i++) _lattice[i] = (float)(2 * rng.NextDouble() - 1);
    }

    public double Sample(double x, double y, double z)
    {
        double fx = Math.Floor(x), fy = Math.Floor(y), fz = Math.Floor(z);
        double tx = Smooth(x - fx), ty = Smooth(y - fy), tz = Smooth(z - fz);
        int x0 = (int)((long)fx & (N - 1)), y0 = (int)((long)fy & (N - 1)), z0 = (int)((long)fz & (N - 1));
        int x1 = (x0 + 1) & (N - 1), y1 = (y0 + 1) & (N - 1), z1 = (z0 + 1) & (N - 1);
        double Lerp(double a, double b, double t) => a + (b - a) * t;
        double At(int i, int j, int k) => _lattice[(k * N + j) * N + i];
        var c00 = Lerp(At(x0, y0, z0), At(x1, y0, z0), tx);
        var c10 = Lerp(At(x0, y1, z0), At(x1, y1, z0), tx);
        var c01 = Lerp(At(x0, y0, z1), At(x1, y0, z1), tx);
        var c11 = Lerp(At(x0, y1, z1), At(x1, y1, z1), tx);
        return Lerp(Lerp(c00, c10, ty), Lerp(c01, c11, ty), tz);
    }

    private static double Smooth(double t) => t * t * (3 - 2 * t);
}

/// <summary>Seeds and UIDs derived from the phantom's seed, so that parallel work and identifiers are reproducible.</summary>
public static class PhantomRandom
{
    /// <summary>A seed for <see cref="Random"/> derived from the phantom seed, a purpose and an index.</summary>
    public static int Derive(int seed, string purpose, long index) =>
        BitConverter.ToInt32(Hash(seed, purpose, index), 0) & int.MaxValue;

    /// <summary>
    /// A UUID-derived UID (PS3.5 B.2): "2.25." and the decimal value of a 128-bit name-based hash of (seed, purpose,
    /// index), with the RFC 9562 version 8 and variant bits set.
    /// </summary>
    public static string Uid(int seed, string purpose, long index)
    {
        var bytes = Hash(seed, purpose, index).AsSpan(0, 16).ToArray();
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x80);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        var value = new System.Numerics.BigInteger(bytes, isUnsigned: true, isBigEndian: true);
        return "2.25." + value.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    private static byte[] Hash(int seed, string purpose, long index) =>
        System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(
            string.Create(System.Globalization.CultureInfo.InvariantCulture, $"innereye-thorax-phantom/{seed}/{purpose}/{index}")));
}
