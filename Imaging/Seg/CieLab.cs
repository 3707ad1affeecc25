namespace InnerEye.Imaging.Seg;

/// <summary>
/// sRGB display colours as DICOM CIELab values (PS3.3 C.10.7.1.1): 8-bit sRGB is linearised (IEC 61966-2-1), taken to
/// CIE XYZ and then CIELab with the D65 white point, and each of L*, a*, b* scaled onto 0–65535 as the standard encodes
/// them: L*·65535/100, (a* + 128)·65535/255, (b* + 128)·65535/255, rounded and clamped.
/// </summary>
public static class CieLab
{
    // D65 reference white (CIE 1931 2°), Y normalised to 1.
    private const double Xn = 0.95047, Yn = 1.0, Zn = 1.08883;

    /// <summary>L* (0–100), a*, b* of an sRGB colour.</summary>
    public static (double L, double A, double B) FromSrgb(byte r, byte g, byte b)
    {
        double rl = Linear(r), gl = Linear(g), bl = Linear(b);
        var x = 0.4124564 * rl + 0.3575761 * gl + 0.1804375 * bl;
        var y = 0.2126729 * rl + 0.7151522 * gl + 0.0721750 * bl;
        var z = 0.0193339 * rl + 0.1191920 * gl + 0.9503041 * bl;
        double fx = F(x / Xn), fy = F(y / Yn), fz = F(z / Zn);
        return (116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz));
    }

    /// <summary>The three unsigned 16-bit values of RecommendedDisplayCIELabValue for an sRGB colour.</summary>
    public static ushort[] ToDicom(byte r, byte g, byte b)
    {
        var (l, a, bb) = FromSrgb(r, g, b);
        return [Scale(l * 65535 / 100), Scale((a + 128) * 65535 / 255), Scale((bb + 128) * 65535 / 255)];
    }

    private static double Linear(byte c)
    {
        var v = c / 255.0;
        return v <= 0.04045 ? v / 12.92 : Math.Pow((v + 0.055) / 1.055, 2.4);
    }

    private static double F(double t)
    {
        const double delta = 6.0 / 29;
        return t > delta * delta * delta ? Math.Cbrt(t) : t / (3 * delta * delta) + 4.0 / 29;
    }

    private static ushort Scale(double v) => (ushort)Math.Clamp(Math.Round(v, MidpointRounding.AwayFromZero), 0, 65535);
}
