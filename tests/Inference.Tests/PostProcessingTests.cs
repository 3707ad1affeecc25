namespace InnerEye.Inference.Tests;

public sealed class PostProcessingTests
{
    private const int N = 12;

    private static int Index(int x, int y, int z) => (z * N + y) * N + x;

    private static byte[] Labels()
    {
        var labels = new byte[N * N * N];
        // Structure 1: a 3×3×3 cube, a 2×2×2 cube, and a voxel touching the big cube only at a corner (26-connected).
        for (var z = 1; z < 4; z++)
        {
            for (var y = 1; y < 4; y++)
            {
                for (var x = 1; x < 4; x++)
                    labels[Index(x, y, z)] = 1;
            }
        }

        labels[Index(4, 4, 4)] = 1;
        for (var z = 8; z < 10; z++)
        {
            for (var y = 8; y < 10; y++)
            {
                for (var x = 8; x < 10; x++)
                    labels[Index(x, y, z)] = 1;
            }
        }
        // Structure 2: two single voxels.
        labels[Index(0, 11, 0)] = 2;
        labels[Index(11, 0, 11)] = 2;
        return labels;
    }

    private static int Count(byte[] labels, byte label) => labels.Count(l => l == label);

    [SkippableFact]
    public void NothingChangesWithoutPostprocessing()
    {
        var labels = Labels();
        PostProcessing.Apply(labels, N, N, N, 2, PostprocessingConfig.None);
        Assert.Equal(Labels(), labels);
    }

    [SkippableFact]
    public void LargestComponentKeepsThe26ConnectedLargestPerStructure()
    {
        var labels = Labels();
        PostProcessing.Apply(labels, N, N, N, 2, new PostprocessingConfig(true, 0));
        Assert.Equal(28, Count(labels, 1));
        Assert.Equal(1, labels[Index(4, 4, 4)]);
        Assert.Equal(0, labels[Index(8, 8, 8)]);
        // Equal sizes: the first found stays.
        Assert.Equal(1, Count(labels, 2));
        Assert.Equal(2, labels[Index(0, 11, 0)]);
    }

    [SkippableFact]
    public void ComponentsBelowTheMinimumSizeAreDropped()
    {
        var labels = Labels();
        PostProcessing.Apply(labels, N, N, N, 2, new PostprocessingConfig(false, 8));
        Assert.Equal(28 + 8, Count(labels, 1));
        Assert.Equal(0, Count(labels, 2));
        PostProcessing.Apply(labels, N, N, N, 2, new PostprocessingConfig(false, 9));
        Assert.Equal(28, Count(labels, 1));
    }

    [SkippableFact]
    public void AVolumeFillingComponentNeedsNoRecursion()
    {
        const int n = 160;
        var labels = new byte[n * n * n];
        Array.Fill(labels, (byte)1);
        labels[0] = 0;
        labels[2] = 1;
        PostProcessing.Apply(labels, n, n, n, 1, new PostprocessingConfig(true, 10));
        Assert.Equal(n * n * n - 1, Count(labels, 1));
    }
}
