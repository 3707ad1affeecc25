using System.Diagnostics;
using InnerEye.Imaging.Series;
using Microsoft.Extensions.Logging;

namespace InnerEye.Inference;

/// <summary>The paths of models that use the extended configuration: nnU-Net's voxel grid, or its engine on a patient-axes grid.</summary>
public sealed partial class SegmentationPipeline
{
    private SegmentationResult RunOnVoxelGrid(IReadOnlyList<LoadedSeries> series, ModelConfig model, PipelineOptions options,
        IProgress<PipelineProgress>? progress, CancellationToken cancellationToken)
    {
        var folds = Sessions.GetAll(model);
        var output = VoxelGridPipeline.Run(series, model, folds, DynamicBatch(model, folds), options.KeepProbabilities, progress,
            cancellationToken);
        var reference = series[0];
        var postprocess = Postprocess(output.Labels, GridGeometry.Of(reference.Volume), model, progress, cancellationToken);
        var timings = output.Timings with { Postprocess = output.Timings.Postprocess + postprocess };
        Log(model, folds[0].Device, timings);
        return new SegmentationResult(output.Labels, reference, timings)
        {
            Device = folds[0].Device,
            RegionMasks = output.RegionMasks,
            Probabilities = output.Probabilities,
        };
    }

    /// <summary>
    /// A patient-axes model with the extended sliding window, mirroring, ensembles or logits: the channels go onto the
    /// model grid as in the original path, the grid is predicted whole, and the probabilities mapped back as one slab.
    /// </summary>
    private SegmentationResult RunOnPatientGrid(IReadOnlyList<LoadedSeries> series, ModelConfig model, PipelineOptions options,
        IProgress<PipelineProgress>? progress, CancellationToken cancellationToken)
    {
        var folds = Sessions.GetAll(model);
        var reference = series[0];
        var referenceGrid = GridGeometry.Of(reference.Volume);
        var watch = Stopwatch.StartNew();
        progress?.Report(new PipelineProgress(PipelineStages.Resample, 0));
        var spacing = model.Preprocessing.TargetSpacing;
        var modelGrid = spacing is null ? referenceGrid : referenceGrid.PatientAligned(spacing);
        var channels = new float[series.Count][];
        for (var c = 0; c < series.Count; c++)
        {
            var volume = c == 0 && spacing is null ? series[c].Volume : Resampler.Resample(series[c].Volume, modelGrid, null, cancellationToken);
            channels[c] = volume.ToArray();
            var normalization = model.InputChannels[c].Normalization
                ?? new NormalizationConfig(NormalizationScheme.Window) { Window = WindowOf(model, c) };
            ChannelNormalization.Apply(channels[c], normalization, null);
            progress?.Report(new PipelineProgress(PipelineStages.Resample, 100 * (c + 1) / series.Count));
        }
        var resampleTime = watch.Elapsed;

        watch.Restart();
        progress?.Report(new PipelineProgress(PipelineStages.Inference, 0));
        int[] shape = [modelGrid.SizeZ, modelGrid.SizeY, modelGrid.SizeX];
        var settings = GridPredictionSettings.For(model, DynamicBatch(model, folds)) with
        {
            Patch = SlidingWindowInference.EffectivePatch(model.Preprocessing.PatchSize, shape[0], shape[1], shape[2]),
        };
        var timed = folds.Select(f => new TimedPredictor(f, model.FullId)).ToList();
        var scores = GridPrediction.Run(timed, channels, shape, settings, null, cancellationToken);
        var decision = OutputDecision.Decide(scores, model.Output, shape[0] * shape[1] * shape[2]);
        var labels = new byte[referenceGrid.VoxelCount];
        IReadOnlyList<bool[]>? masks = null;
        if (model.Output.Activation == OutputActivation.Softmax)
        {
            var slab = new PosteriorSlab(0, shape[0], 0, shape[0], decision.Probabilities);
            PosteriorMapper.MapSlab(slab, modelGrid, referenceGrid, labels, cancellationToken);
        }
        else
        {
            // Each region on its own: its probability against its absence, mapped back as a two-class posterior.
            var regionMasks = new List<bool[]>();
            for (var r = 0; r < decision.Probabilities.Length; r++)
            {
                var p = decision.Probabilities[r];
                var absent = p.Select(x => 1 - x).ToArray();
                var regionLabels = new byte[referenceGrid.VoxelCount];
                PosteriorMapper.MapSlab(new PosteriorSlab(0, shape[0], 0, shape[0], [absent, p]), modelGrid, referenceGrid, regionLabels,
                    cancellationToken);
                regionMasks.Add([.. regionLabels.Select(l => l == 1)]);
                for (var i = 0; i < labels.Length; i++)
                    if (regionLabels[i] == 1) labels[i] = (byte)(r + 1);
            }
            masks = regionMasks;
        }
        progress?.Report(new PipelineProgress(PipelineStages.Inference, 100));
        var inferenceTime = watch.Elapsed;

        var timings = new StageTimings(resampleTime, inferenceTime, Postprocess(labels, referenceGrid, model, progress, cancellationToken))
        {
            Network = TimeSpan.FromTicks(timed.Sum(t => t.Elapsed.Ticks)),
            Patches = timed.Sum(t => t.Patches),
            PatchShape = timed[0].Shape,
        };
        Log(model, folds[0].Device, timings);
        return new SegmentationResult(labels, reference, timings) { Device = folds[0].Device, RegionMasks = masks };
    }

    private static bool DynamicBatch(ModelConfig model, IReadOnlyList<OnnxModelSession> folds) =>
        model.DynamicBatch ?? folds.All(f => f.DynamicBatch);

    private void Log(ModelConfig model, InferenceDevice device, StageTimings t) =>
        _logger.LogInformation(
            "Model {Model} on {Device}: resample {Resample} ms, inference {Inference} ms (network {Network} ms, {Patches} runs), postprocess " +
            "{Postprocess} ms.",
            model.FullId, device, (int)t.Resample.TotalMilliseconds, (int)t.Inference.TotalMilliseconds, (int)t.Network.TotalMilliseconds, t.Patches,
            (int)t.Postprocess.TotalMilliseconds);
}
