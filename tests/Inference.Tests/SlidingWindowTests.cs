using InnerEye.Imaging.Series;
using InnerEye.Inference.Tests.Support;

namespace InnerEye.Inference.Tests;

public sealed class SlidingWindowTests : IDisposable
{
    private readonly ModelSessionCache _sessions = new(new InferenceOptions { Device = InferenceDevice.Cpu });

    public void Dispose() => _sessions.Dispose();

    /// <summary>Windowed-looking values in [−1, 1], never within 0.05 of the threshold models' decision points.</summary>
    private static ImageVolume Input(int nx, int ny, int nz, int seed = 5)
    {
        var random = new Random(seed);
        return Volumes.Create(nx, ny, nz, [1, 1, 2], [0, 0, 0], Volumes.Axial, (_, _, _) =>
        {
            var v = (float)(random.NextDouble() * 2 - 1);
            foreach (var edge in new[] { -0.5f, 0f, 0.5f })
            {
                if (Math.Abs(v - edge) < 0.05f) v = edge + 0.1f;
            }
            return v;
        });
    }

    private static byte[] Argmax(float[][] posteriors)
    {
        var labels = new byte[posteriors[0].Length];
        for (var v = 0; v < labels.Length; v++)
        {
            var best = 0;
            for (var c = 1; c < posteriors.Length; c++)
            {
                if (posteriors[c][v] > posteriors[best][v]) best = c;
            }
            labels[v] = (byte)best;
        }
        return labels;
    }

    [SkippableTheory]
    [InlineData(10, 4, 0, new[] { 0, 4, 6 })]
    [InlineData(10, 4, 2, new[] { 0, 2, 4, 6 })]
    [InlineData(12, 4, 0, new[] { 0, 4, 8 })]
    [InlineData(8, 8, 3, new[] { 0 })]
    [InlineData(3, 8, 0, new[] { 0 })]
    [InlineData(9, 8, 7, new[] { 0, 1 })]
    public void PatchesStepByPatchMinusOverlapAndTheLastIsShiftedInward(int size, int patch, int overlap, int[] expected) =>
        Assert.Equal(expected, SlidingWindowInference.PatchStarts(size, patch, overlap));

    [SkippableFact]
    public void BlendWeightsRampOverTheOverlap()
    {
        Assert.Equal([1f, 1f, 1f, 1f], SlidingWindowInference.BlendWeights(4, 0));
        Assert.Equal([1 / 3f, 2 / 3f, 1f, 1f, 2 / 3f, 1 / 3f], SlidingWindowInference.BlendWeights(6, 2));
    }

    public static TheoryData<int[], int[]> PatchConfigurations() => new()
    {
        { new[] { 0, 0, 0 }, new[] { 0, 0, 0 } },
        { new[] { 4, 4, 4 }, new[] { 0, 0, 0 } },
        { new[] { 5, 3, 7 }, new[] { 2, 1, 3 } },
        { new[] { 3, 16, 6 }, new[] { 1, 0, 5 } },
        { new[] { 32, 32, 32 }, new[] { 0, 0, 0 } },
    };

    [SkippableTheory]
    [MemberData(nameof(PatchConfigurations))]
    public void AVoxelWiseModelGivesTheSameLabelsForAnyPatchSizeAndOverlap(int[] patch, int[] overlap)
    {
        var input = Input(19, 14, 11);
        var model = TestModels.Config("three_class.onnx", structures: 2, patch: patch, overlap: overlap);
        var posteriors = SlidingWindowInference.RunToArray(_sessions.Get(model), [input], 3, patch, overlap);
        var labels = Argmax(posteriors);
        var values = input.ToArray();
        for (var v = 0; v < values.Length; v++)
        {
            var expected = values[v] > 0.5f ? 1 : values[v] < -0.5f ? 2 : 0;
            Assert.Equal(expected, labels[v]);
            Assert.Equal(1f, posteriors[0][v] + posteriors[1][v] + posteriors[2][v], 4);
        }
    }

    [SkippableFact]
    public void SlabsGiveBitForBitTheResultOfOnePass()
    {
        var input = Input(17, 13, 23, seed: 9);
        int[] patch = [5, 6, 7], overlap = [2, 3, 1];
        var session = _sessions.Get(TestModels.Config("three_class.onnx", structures: 2, patch: patch, overlap: overlap));
        var full = SlidingWindowInference.RunToArray(session, [input], 3, patch, overlap);
        var sliceBytes = 17 * 13 * 4 * 4;
        foreach (var slices in new[] { 2, 3, 7 })
        {
            var slabs = new List<PosteriorSlab>();
            SlidingWindowInference.Run(session, [input], 3, patch, overlap, slabs.Add, maxAccumulatorBytes: slices * sliceBytes);
            Assert.Equal(23 / (slices - 1) + (23 % (slices - 1) == 0 ? 0 : 1), slabs.Count);
            Assert.Equal(Enumerable.Range(0, 23), slabs.SelectMany(s => Enumerable.Range(s.CoreStart, s.CoreEnd - s.CoreStart)));
            var pieced = SlidingWindowInference.RunToArray(session, [input], 3, patch, overlap, maxAccumulatorBytes: slices * sliceBytes);
            for (var c = 0; c < 3; c++) Assert.Equal(full[c], pieced[c]);
        }
    }

    [SkippableFact]
    public void AFixedShapeNetworkGetsPaddedAndShiftedPatches()
    {
        // The network takes exactly 8×8×8: z (5) is padded by edge replication, y (11) and x (13) shift the last patch inward.
        var input = Input(13, 11, 5, seed: 3);
        var model = TestModels.Config("fixed_shape.onnx", patch: [8, 8, 8], overlap: [0, 2, 2]);
        var predictor = new RecordingPredictor(_sessions.Get(model));
        var posteriors = SlidingWindowInference.RunToArray(predictor, [input], 2, [8, 8, 8], [0, 2, 2]);
        Assert.All(predictor.Shapes, s => Assert.Equal([1L, 1, 8, 8, 8], s));
        Assert.Equal(2 * 2, predictor.Shapes.Count);
        var labels = Argmax(posteriors);
        var values = input.ToArray();
        for (var v = 0; v < values.Length; v++) Assert.Equal(values[v] > 0 ? 1 : 0, labels[v]);
    }

    [SkippableFact]
    public void PaddingReplicatesTheEdgeVoxels()
    {
        var input = Volumes.Create(2, 1, 1, [1, 1, 1], [0, 0, 0], Volumes.Axial, (i, _, _) => i == 0 ? -0.75f : 0.25f);
        var predictor = new RecordingPredictor(_sessions.Get(TestModels.Config("fixed_shape.onnx", patch: [8, 8, 8])));
        SlidingWindowInference.RunToArray(predictor, [input], 2, [8, 8, 8], [0, 0, 0]);
        var patch = Assert.Single(predictor.Inputs);
        for (var z = 0; z < 8; z++)
        {
            for (var y = 0; y < 8; y++)
            {
                for (var x = 0; x < 8; x++)
                    Assert.Equal(x == 0 ? -0.75f : 0.25f, patch[(z * 8 + y) * 8 + x]);
            }
        }
    }

    [SkippableFact]
    public void AWrongOutputShapeIsATypedError()
    {
        var input = Input(4, 4, 4);
        var session = _sessions.Get(TestModels.Config("three_class.onnx", structures: 2));
        var e = Assert.Throws<InferenceException>(() => SlidingWindowInference.RunToArray(session, [input], 2, [0, 0, 0], [0, 0, 0]));
        Assert.Equal("UnexpectedOutputShape", e.Code);
    }

    private sealed class RecordingPredictor(IPatchPredictor inner) : IPatchPredictor
    {
        public List<long[]> Shapes { get; } = [];
        public List<float[]> Inputs { get; } = [];

        public IPatchResult Predict(Memory<float> input, long[] shape, CancellationToken cancellationToken)
        {
            Shapes.Add([.. shape]);
            Inputs.Add(input.ToArray());
            return inner.Predict(input, shape, cancellationToken);
        }
    }
}
