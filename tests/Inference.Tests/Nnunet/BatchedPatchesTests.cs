using System.Diagnostics;
using InnerEye.Imaging.Tests.Support;
using InnerEye.Inference.Tests.Support;
using Xunit.Abstractions;

namespace InnerEye.Inference.Tests.Nnunet;

/// <summary>
/// The fixture's fold 0 with a dynamic batch axis on nnU-Net's own network input (preprocessed.npz of hfs_std):
/// four patches per run (mirrored copies in the same batch) give the same prediction as one at a time.
/// </summary>
[Trait("Category", "Conformance")]
public sealed class BatchedPatchesTests(ITestOutputHelper output)
{
    [SkippableFact]
    public void FourPatchesPerRunPredictWhatOneAtATimeDoes()
    {
        var input = Npy.ReadNpz(NnUnetFixture.PathOf("cases/hfs_std/preprocessed.npz"))["data"];
        var shape = input.Shape; // [z, y, x]: the one channel
        var halves = input.AsHalves();
        var channel = halves.Select(h => (float)h).ToArray();

        using var temp = new TempDirectory();
        var config = temp.Combine("Fold0.json");
        File.WriteAllText(config, $$"""
            { "id": "Fold0", "version": "1", "grid": "voxel",
              "ensemble": [ "{{Path.Combine(NnUnetFixture.ModelFolder, "fold_0", "model_dynbatch.onnx")}}" ],
              "onnxInput": "input", "onnxOutput": "logits",
              "inputChannels": [ { "id": "ct", "modality": "CT", "normalization": { "scheme": "none" } } ],
              "preprocessing": { "patchSize": [32, 128, 128] },
              "slidingWindow": { "stepFraction": 0.5, "blending": "gaussian", "batchSize": 4, "accumulator": "float16" },
              "testTimeAugmentation": { "mirrorAxes": [0, 1] },
              "output": { "kind": "logits" },
              "structures": [ {{string.Join(", ", Enumerable.Range(1, 5).Select(i => $$"""{ "name": "S{{i}}", "color": [1, 2, 3] }"""))}} ] }
            """);
        using var sessions = new ModelSessionCache(new InferenceOptions { Device = InferenceDevice.Cpu });
        var model = ModelConfigLoader.Load(config, sessions);
        var session = sessions.GetAll(model)[0];
        Assert.True(session.DynamicBatch);

        var batched = GridPredictionSettings.For(model, dynamicBatch: true);
        var single = batched with { BatchSize = 1 };
        var watch = Stopwatch.StartNew();
        var one = GridPrediction.Run([session], [channel], shape, single);
        var oneTime = watch.Elapsed;
        watch.Restart();
        var four = GridPrediction.Run([session], [channel], shape, batched);
        var fourTime = watch.Elapsed;

        var maxDiff = 0f;
        for (var k = 0; k < one.Length; k++)
            for (var i = 0; i < one[k].Length; i++) maxDiff = Math.Max(maxDiff, Math.Abs(one[k][i] - four[k][i]));
        var labelsOne = OutputDecision.Decide(one, model.Output, one[0].Length).Labels;
        var labelsFour = OutputDecision.Decide(four, model.Output, four[0].Length).Labels;
        var differing = labelsOne.Zip(labelsFour).Count(p => p.First != p.Second);
        output.WriteLine(
            $"batch 1: {oneTime.TotalSeconds:0.00} s, batch 4: {fourTime.TotalSeconds:0.00} s ({oneTime / fourTime:0.00}×); max |Δlogit| " +
            $"{maxDiff:g3}, labels differing {differing}");
        // float16 accumulation: a different summation inside ONNX Runtime's batched kernels may move a sum by one float16 step.
        Assert.True(maxDiff < 0.02f, $"max |Δlogit| {maxDiff}");
        Assert.True(differing <= 5, $"{differing} labels differ");
    }
}
