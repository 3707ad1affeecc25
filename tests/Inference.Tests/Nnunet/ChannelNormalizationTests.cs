namespace InnerEye.Inference.Tests.Nnunet;

/// <summary>nnU-Net's normalisation schemes on small hand-checkable arrays.</summary>
public sealed class ChannelNormalizationTests
{
    [Fact]
    public void CtClipZScoreClipsThenStandardises()
    {
        float[] data = [-2000, -893, 0, 78, 3000];
        ChannelNormalization.Apply(data, new NormalizationConfig(NormalizationScheme.CtClipZScore) { Mean = -580.5, Std = 400, Lower = -893,
            Upper = 78 }, null);
        float[] expected = [(-893f - -580.5f) / 400f, (-893f - -580.5f) / 400f, (0 - -580.5f) / 400f, (78 - -580.5f) / 400f, (78 - -580.5f) / 400f];
        Assert.Equal(expected, data);
    }

    [Fact]
    public void ZScoreUsesTheWholeImage()
    {
        float[] data = [1, 2, 3, 4];
        ChannelNormalization.Apply(data, new NormalizationConfig(NormalizationScheme.ZScore), null);
        // mean 2.5, population std √1.25.
        var std = (float)Math.Sqrt(1.25);
        Assert.Equal([-1.5f / std, -0.5f / std, 0.5f / std, 1.5f / std], data);
    }

    [Fact]
    public void ZScoreWithTheNonzeroMaskLeavesTheOutsideAlone()
    {
        float[] data = [0, 2, 4, 0];
        bool[] mask = [false, true, true, false];
        ChannelNormalization.Apply(data, new NormalizationConfig(NormalizationScheme.ZScore) { NonzeroMaskOnly = true }, mask);
        // Over the mask: mean 3, std 1.
        Assert.Equal([0f, -1f, 1f, 0f], data);
    }

    [Fact]
    public void Rescale01MapsMinimumToZeroAndMaximumToOne()
    {
        float[] data = [-10, 0, 30];
        ChannelNormalization.Apply(data, new NormalizationConfig(NormalizationScheme.Rescale01), null);
        Assert.Equal([0f, 0.25f, 1f], data);
    }

    [Fact]
    public void NoneKeepsTheValues()
    {
        float[] data = [-1000, 5];
        ChannelNormalization.Apply(data, new NormalizationConfig(NormalizationScheme.None), null);
        Assert.Equal([-1000f, 5f], data);
    }

    [Fact]
    public void NonzeroCropFillsHolesAndBoxesTheMask()
    {
        // 5 × 5 × 5 with a hollow 3 × 3 × 3 cube of non-zero values (corner (1, 1, 1)): its centre (2, 2, 2) is a hole.
        var image = new float[125];
        for (var z = 1; z <= 3; z++)
        {
            for (var y = 1; y <= 3; y++)
            {
                for (var x = 1; x <= 3; x++)
                    if ((z, y, x) != (2, 2, 2)) image[(z * 5 + y) * 5 + x] = 7;
            }
        }

        var mask = NonzeroCrop.Mask([image], [5, 5, 5]);
        Assert.True(mask[(2 * 5 + 2) * 5 + 2], "the hole inside the cube is filled");
        Assert.False(mask[0]);
        var box = NonzeroCrop.BoundingBox(mask, [5, 5, 5]);
        Assert.Equal([1, 1, 1], box.Start);
        Assert.Equal([4, 4, 4], box.End);
    }
}
