namespace InnerEye.Inference.Tests.Nnunet;

/// <summary>nnU-Net's compute_new_shape and determine_do_sep_z_and_axis, rule by rule.</summary>
public sealed class NnUnetShapeRuleTests
{
    [Theory]
    [InlineData(9, 2.5, 5.0, 4)] // 4.5 → 4 (half to even)
    [InlineData(11, 2.5, 5.0, 6)] // 5.5 → 6
    [InlineData(13, 2.5, 5.0, 6)] // 6.5 → 6
    [InlineData(1, 2.5, 5.0, 0)] // 0.5 → 0
    [InlineData(6, 3.5, 2.0, 10)] // 10.5 → 10
    [InlineData(176, 1.171875, 1.590000033378601, 130)] // 129.7
    [InlineData(48, 5.0, 5.0, 48)]
    public void NewShapeRoundsHalfToEven(int size, double spacing, double target, int expected) =>
        Assert.Equal([expected, 7, 7], NnUnetResampling.NewShape([size, 7, 7], [spacing, 1, 1], [target, 1, 1]));

    [Fact]
    public void NewShapeDividesBeforeItMultiplies() =>
        // (0.3 / 0.2) · 5 = 7.499999999999999 → 7, where 0.3 · 5 / 0.2 = 7.5 would give 8.
        Assert.Equal([7, 1, 1], NnUnetResampling.NewShape([5, 1, 1], [0.3, 1, 1], [0.2, 1, 1]));

    [Fact]
    public void AnisotropicCurrentSpacingSeparatesItsLargestAxis() =>
        Assert.Equal((true, 0), NnUnetResampling.SeparateZAxis([5.0, 1.0, 1.2], [1.0, 1.0, 1.0]));

    [Fact]
    public void CurrentSpacingComesFirst() =>
        Assert.Equal((true, 1), NnUnetResampling.SeparateZAxis([1.0, 4.0, 1.0], [1.0, 1.0, 5.0]));

    [Fact]
    public void OnlyAnAnisotropicTargetSeparatesTheTargetsLargestAxis() =>
        Assert.Equal((true, 2), NnUnetResampling.SeparateZAxis([1.0, 1.0, 1.2], [1.0, 1.0, 3.5]));

    [Fact]
    public void NnUnetsTargetSpacingIsJustAnisotropic() =>
        Assert.Equal((true, 0), NnUnetResampling.SeparateZAxis([2.5, 0.7, 0.7], [5.0, 1.590000033378601, 1.590000033378601]));

    [Theory]
    [InlineData(2.0, 1.0, 1.0)]
    [InlineData(3.0, 1.0, 1.0)] // a ratio of exactly 3 is not above the threshold
    public void NeitherAnisotropicMeansNoSeparateZ(double z, double y, double x) =>
        Assert.Equal((false, -1), NnUnetResampling.SeparateZAxis([z, y, x], [1.5, 1.0, 1.0]));

    [Fact]
    public void TheThresholdIsAParameter() =>
        Assert.Equal((true, 0), NnUnetResampling.SeparateZAxis([2.5, 1.0, 1.0], [2.5, 1.0, 1.0], anisotropyThreshold: 2));

    [Fact]
    public void ALargestSpacingSharedByTwoAxesMeansNoSeparateZ() =>
        Assert.Equal((false, -1), NnUnetResampling.SeparateZAxis([0.24, 1.25, 1.25], [0.5, 1.0, 1.0]));

    [Fact]
    public void ALargestSpacingSharedByTwoTargetAxesMeansNoSeparateZ() =>
        Assert.Equal((false, -1), NnUnetResampling.SeparateZAxis([1.0, 1.0, 1.0], [4.0, 4.0, 1.0]));

    [Fact]
    public void ForcedSeparateZTakesTheCurrentSpacingsLargestAxis()
    {
        Assert.Equal((true, 0), NnUnetResampling.SeparateZAxis([1.2, 1.0, 0.9], [1.0, 1.0, 1.0], forceSeparateZ: true));
        Assert.Equal((true, 0), NnUnetResampling.SeparateZAxis([1.2, 1.0, 0.9], [1.0, 1.0, 5.0], forceSeparateZ: true));
    }

    [Fact]
    public void ForcedSeparateZStillNeedsOneLargestAxis()
    {
        Assert.Equal((false, -1), NnUnetResampling.SeparateZAxis([1.0, 1.0, 1.0], [5.0, 1.0, 1.0], forceSeparateZ: true));
        Assert.Equal((false, -1), NnUnetResampling.SeparateZAxis([1.0, 2.0, 2.0], [5.0, 1.0, 1.0], forceSeparateZ: true));
    }

    [Fact]
    public void ForcedOffMeansNoSeparateZ() =>
        Assert.Equal((false, -1), NnUnetResampling.SeparateZAxis([5.0, 1.0, 1.0], [1.0, 1.0, 1.0], forceSeparateZ: false));
}
