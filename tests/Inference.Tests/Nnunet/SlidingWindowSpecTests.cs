using System.Text.Json;
using InnerEye.Inference.Tests.Support;

namespace InnerEye.Inference.Tests.Nnunet;

/// <summary>The sliding window's pieces against nnU-Net's own values (the fixture's spec/) and hand-checkable cases.</summary>
public sealed class SlidingWindowSpecTests
{
    [SkippableFact]
    public void GaussianMapEqualsNnUnetsFloat16Map()
    {
        var expected = Npy.ReadFile(NnUnetFixture.PathOf("spec/gaussian_importance_map_fp16.npy"));
        Assert.Equal([32, 128, 128], expected.Shape);
        var map = GaussianImportance.Map([32, 128, 128]);
        var reference = expected.AsHalves();
        var differing = Enumerable.Range(0, map.Length).Count(i => map[i] != reference[i]);
        Assert.Equal(0, differing);
    }

    [Fact]
    public void GaussianPeaksAtTenInTheCentreAndHasNoZeros()
    {
        var map = GaussianImportance.Map([5, 9, 8]);
        Assert.Equal((Half)10, map[(2 * 9 + 4) * 8 + 4]);
        Assert.All(map, v => Assert.True(v > Half.Zero));
        // σ = p/8: along x (p = 8, σ = 1) one voxel from the centre weighs 10·e^(−1/2).
        Assert.Equal((Half)(10 * Math.Exp(-0.5)), map[(2 * 9 + 4) * 8 + 3]);
    }

    [SkippableFact]
    public void StepsEqualNnUnetsForEverySizeInTheSpec()
    {
        using var json = JsonDocument.Parse(File.ReadAllText(NnUnetFixture.PathOf("spec/sliding_window_steps.json")));
        var patch = json.RootElement.GetProperty("patch_size").EnumerateArray().Select(e => e.GetInt32()).ToArray();
        var step = json.RootElement.GetProperty("tile_step_size").GetDouble();
        var checkedSizes = 0;
        foreach (var entry in json.RootElement.GetProperty("steps").EnumerateObject())
        {
            var size = JsonSerializer.Deserialize<int[]>(entry.Name)!;
            var expected = entry.Value.EnumerateArray().Select(a => a.EnumerateArray().Select(e => e.GetInt32()).ToArray()).ToArray();
            for (var axis = 0; axis < 3; axis++)
                Assert.Equal(expected[axis], SlidingWindowSteps.Starts(size[axis], patch[axis], step));
            checkedSizes++;
        }
        Assert.True(checkedSizes >= 5);
    }

    [Theory]
    [InlineData(32, 32, new[] { 0 })]
    [InlineData(33, 32, new[] { 0, 1 })]
    [InlineData(129, 128, new[] { 0, 1 })]
    // (200 − 128) / 64 → 2 steps of 36.
    [InlineData(200, 128, new[] { 0, 36, 72 })]
    // (225 − 128) / 64 = 1.52 → 3 tiles, step 48.5: 0, 48.5 → 48 (half to even), 97.
    [InlineData(225, 128, new[] { 0, 48, 97 })]
    public void StepsRoundHalfToEven(int size, int patch, int[] expected) =>
        Assert.Equal(expected, SlidingWindowSteps.Starts(size, patch, 0.5));

    [Fact]
    public void MirrorCombinationsComeInItertoolsOrder()
    {
        Assert.Equal([[0], [1], [0, 1]], GridPrediction.MirrorCombinations([0, 1]));
        Assert.Equal([[0], [1], [2], [0, 1], [0, 2], [1, 2], [0, 1, 2]], GridPrediction.MirrorCombinations([0, 1, 2]));
        Assert.Empty(GridPrediction.MirrorCombinations([]));
    }
}
