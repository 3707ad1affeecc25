using System.Diagnostics;
using System.Numerics.Tensors;
using InnerEye.Imaging.Series;

namespace InnerEye.Inference;

/// <summary>The class scores of a voxel-grid run, for callers that compare or keep them.</summary>
/// <param name="Probabilities">One [z, y, x] array per output channel on the source grid (outside the crop box: background 1).</param>
public sealed record VoxelGridOutput(byte[] Labels, IReadOnlyList<bool[]>? RegionMasks, float[][]? Probabilities, StageTimings Timings);

/// <summary>
/// The voxel-grid path, step for step nnU-Net's <c>nnUNetPredictor.predict_single_npy_array</c>: the image's voxel
/// array [z, y, x] (no reorientation) → transpose_forward → crop to the nonzero box → normalise → resample to the target
/// spacing → sliding window (Gaussian, mirroring, folds) → output resampled back → softmax and argmax (or sigmoid
/// regions) → uncropped → transposed back. <c>../shared/nnunet/README.md</c> is the specification it follows.
/// </summary>
public static class VoxelGridPipeline
{
    public static VoxelGridOutput Run(IReadOnlyList<LoadedSeries> series, ModelConfig model, IReadOnlyList<IPatchPredictor> folds, bool dynamicBatch,
        bool keepProbabilities, IProgress<PipelineProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(series);
        ArgumentNullException.ThrowIfNull(model);
        var grid = model.VoxelGrid;
        var watch = Stopwatch.StartNew();
        progress?.Report(new PipelineProgress(PipelineStages.Resample, 0));
        var reference = series[0].Volume;
        int[] sourceShape = [reference.SizeZ, reference.SizeY, reference.SizeX];
        double[] sourceSpacing = [reference.Spacing[2], reference.Spacing[1], reference.Spacing[0]];
        var channels = new float[series.Count][];
        for (var c = 0; c < series.Count; c++)
        {
            // Channels must share the first one's voxel grid, as nnU-Net's channels of one case do.
            var volume = c == 0 ? reference : Resampler.Resample(series[c].Volume, GridGeometry.Of(reference), null, cancellationToken);
            channels[c] = ArrayAxes.Transpose(volume.ToArray(), sourceShape, grid.TransposeForward);
        }
        var shape = ArrayAxes.Permute(sourceShape, grid.TransposeForward);
        var spacing = ArrayAxes.Permute(sourceSpacing, grid.TransposeForward);

        var box = CropBox.Whole(shape);
        bool[]? nonzero = null;
        if (grid.CropToNonzero)
        {
            nonzero = NonzeroCrop.Mask(channels, shape);
            box = NonzeroCrop.BoundingBox(nonzero, shape);
            nonzero = NonzeroCrop.Crop(nonzero, shape, box);
            for (var c = 0; c < channels.Length; c++) channels[c] = NonzeroCrop.Crop(channels[c], shape, box);
        }
        var cropped = box.Shape;
        for (var c = 0; c < channels.Length; c++)
        {
            var normalization = model.InputChannels[c].Normalization
                ?? new NormalizationConfig(NormalizationScheme.Window) { Window = SegmentationPipeline.WindowOf(model, c) };
            // nnU-Net copies the crop before normalising; an uncropped channel is still the volume's own copy.
            ChannelNormalization.Apply(channels[c], normalization, nonzero);
        }
        var target = model.Preprocessing.TargetSpacing is { } t
            ? ArrayAxes.Permute(new[] { t[2], t[1], t[0] }, grid.TransposeForward) : spacing;
        var networkShape = NnUnetResampling.NewShape(cropped, spacing, target);
        var image = grid.Image;
        for (var c = 0; c < channels.Length; c++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            channels[c] = NnUnetResampling.Resample(channels[c], cropped, networkShape, spacing, target, (int)image.InPlane, (int)image.OutOfPlane,
                image.ForceSeparateZ, grid.AnisotropyThreshold);
            progress?.Report(new PipelineProgress(PipelineStages.Resample, 100 * (c + 1) / channels.Length));
        }
        var resampleTime = watch.Elapsed;

        watch.Restart();
        progress?.Report(new PipelineProgress(PipelineStages.Inference, 0));
        var timed = folds.Select(f => new TimedPredictor(f, model.FullId)).ToList();
        var tileProgress = SegmentationPipeline.InferencePercent(progress);
        var settings = GridPredictionSettings.For(model, dynamicBatch);
        var scores = GridPrediction.Run(timed, channels, networkShape, settings, tileProgress, cancellationToken);
        channels = [];

        // Back onto the cropped source grid in the accumulator's precision, then softmax and argmax (or regions).
        var back = grid.Output;
        var half = model.SlidingWindow.Accumulator == AccumulatorPrecision.Float16;
        var separate = NnUnetResampling.SeparateZAxis(target, spacing, grid.AnisotropyThreshold, back.ForceSeparateZ);
        var decision = separate is { SeparateZ: true, Axis: 0 } && back.OutOfPlane == ResamplingOrder.Nearest
            ? OutputBySlice.Decide(scores, networkShape, cropped, (int)back.InPlane, half, model.Output, keepProbabilities, cancellationToken)
            : OutputDecision.Decide(ResampleWhole(scores, networkShape, cropped, target, spacing, back, grid.AnisotropyThreshold, half,
                cancellationToken),
                model.Output, cropped[0] * cropped[1] * cropped[2], keepProbabilities);
        progress?.Report(new PipelineProgress(PipelineStages.Inference, 100));
        var inferenceTime = watch.Elapsed;

        watch.Restart();
        var backward = ArrayAxes.Inverse(grid.TransposeForward);
        var labels = ArrayAxes.Transpose(Uncrop(decision.Labels, box, shape, (byte)0), shape, backward);
        IReadOnlyList<bool[]>? masks = decision.RegionMasks?.Select(m => ArrayAxes.Transpose(Uncrop(m, box, shape, false), shape, backward)).ToList();
        float[][]? probabilities = null;
        if (keepProbabilities)
        {
            var background = model.Output.Activation == OutputActivation.Softmax;
            probabilities = [.. decision.Probabilities.Select((p, k) =>
                ArrayAxes.Transpose(Uncrop(p, box, shape, background && k == 0 ? 1f : 0f), shape, backward))];
        }
        var postprocessTime = watch.Elapsed;
        var timings = new StageTimings(resampleTime, inferenceTime, postprocessTime)
        {
            Network = TimeSpan.FromTicks(timed.Sum(t => t.Elapsed.Ticks)),
            Patches = timed.Sum(t => t.Patches),
            PatchShape = timed[0].Shape,
        };
        return new VoxelGridOutput(labels, masks, probabilities, timings);
    }

    /// <summary>Every class resampled whole (the general case: z not separate, or not by nearest slice).</summary>
    private static float[][] ResampleWhole(float[][] scores, int[] shape, int[] newShape, double[] current, double[] target, ResamplingConfig back,
        double threshold, bool half, CancellationToken cancellationToken)
    {
        var result = new float[scores.Length][];
        for (var k = 0; k < scores.Length; k++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (half)
            {
                var h = new Half[scores[k].Length];
                TensorPrimitives.ConvertToHalf(scores[k], h);
                var r = NnUnetResampling.Resample(h, shape, newShape, current, target, (int)back.InPlane, (int)back.OutOfPlane, back.ForceSeparateZ,
                    threshold, cancellationToken);
                result[k] = new float[r.Length];
                TensorPrimitives.ConvertToSingle(r, result[k]);
            }
            else
            {
                result[k] = NnUnetResampling.Resample(scores[k], shape, newShape, current, target, (int)back.InPlane, (int)back.OutOfPlane,
                    back.ForceSeparateZ, threshold, cancellationToken);
            }
        }
        return result;
    }

    private static T[] Uncrop<T>(T[] data, CropBox box, int[] shape, T outside)
    {
        if (box.IsWhole(shape)) return data;
        var result = new T[shape[0] * shape[1] * shape[2]];
        if (!EqualityComparer<T>.Default.Equals(outside, default)) Array.Fill(result, outside);
        var s = box.Shape;
        for (var z = 0; z < s[0]; z++)
        {
            for (var y = 0; y < s[1]; y++)
            {
                data.AsSpan((z * s[1] + y) * s[2], s[2])
                    .CopyTo(result.AsSpan(((z + box.Start[0]) * shape[1] + y + box.Start[1]) * shape[2] + box.Start[2], s[2]));
            }
        }

        return result;
    }
}
