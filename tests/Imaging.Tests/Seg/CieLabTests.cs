using InnerEye.Imaging.Seg;

namespace InnerEye.Imaging.Tests.Seg;

public sealed class CieLabTests
{
    [Theory]
    // Reference CIELab (D65) of the sRGB primaries and greys.
    [InlineData(255, 255, 255, 100.0, 0.0, 0.0)]
    [InlineData(0, 0, 0, 0.0, 0.0, 0.0)]
    [InlineData(255, 0, 0, 53.2408, 80.0925, 67.2032)]
    [InlineData(0, 255, 0, 87.7347, -86.1827, 83.1793)]
    [InlineData(0, 0, 255, 32.2970, 79.1875, -107.8602)]
    [InlineData(128, 128, 128, 53.5850, 0.0, 0.0)]
    public void FromSrgb_MatchesReferenceValues(byte r, byte g, byte b, double l, double a, double bb)
    {
        var lab = CieLab.FromSrgb(r, g, b);
        Assert.Equal(l, lab.L, 0.01);
        Assert.Equal(a, lab.A, 0.01);
        Assert.Equal(bb, lab.B, 0.01);
    }

    [Fact]
    public void ToDicom_ScalesOntoSixteenBits()
    {
        Assert.Equal([65535, 32896, 32896], CieLab.ToDicom(255, 255, 255));
        Assert.Equal([0, 32896, 32896], CieLab.ToDicom(0, 0, 0));
        var red = CieLab.ToDicom(255, 0, 0);
        Assert.InRange((double)red[0], 53.2408 * 65535 / 100 - 2, 53.2408 * 65535 / 100 + 2);
        Assert.InRange((double)red[1], (80.0925 + 128) * 65535 / 255 - 2, (80.0925 + 128) * 65535 / 255 + 2);
        Assert.InRange((double)red[2], (67.2032 + 128) * 65535 / 255 - 2, (67.2032 + 128) * 65535 / 255 + 2);
        // Out-of-gamut b* of pure blue stays within range.
        Assert.InRange(CieLab.ToDicom(0, 0, 255)[2], (ushort)0, (ushort)65535);
    }
}
