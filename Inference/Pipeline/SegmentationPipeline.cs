using System.Diagnostics;
using InnerEye.Imaging.Rt;
using InnerEye.Imaging.Series;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace InnerEye.Inference;

/// <summary>
/// Loaded series → labels on the source grid: pick the model's input channels, resample them onto the model grid and
/// window them, run the network patch by patch, bring the posteriors back onto the first channel's grid, take the most
/// probable class, and clean up each structure. <see cref="WriteRtAsync"/> turns the result into an RT Structure Set.
/// </summary>
public sealed partial class SegmentationPipeline(ModelSessionCache sessions, ILogger? logger = null)
{
    private readonly ILogger _logger = logger ?? NullLogger.Instance;

    public ModelSessionCache Sessions { get; } = sessions ?? throw new ArgumentNullException(nameof(sessions));

    /// <summary>
    /// Segments <paramref name="input"/> with <paramref name="model"/>. Progress is reported for "resample",
    /// "inference" and "postprocess", in that order, each from 0 to 100 (give a synchronous
    /// <see cref="IProgress{T}"/> to see them in order: <see cref="Progress{T}"/> posts them asynchronously).
    /// </summary>
    /// <exception cref="InputChannelMissingException">A channel the model needs is not in the upload.</exception>
    /// <exception cref="InputModalityMismatchException">A channel holds another modality than the model expects.</exception>
    /// <exception cref="SeriesValidationException">A channel the model needs could not be loaded.</exception>
    /// <exception cref="OperationCanceledException">The token fired; the network run in progress is terminated.</exception>
    public async Task<SegmentationResult> RunAsync(SeriesLoadResult input, ModelConfig model, PipelineOptions? options = null,
        IProgress<PipelineProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(model);
        if (options?.KeepProbabilities == true && model.Grid != ModelGrid.Voxel)
        {
            throw new InferenceException("ProbabilitiesUnavailable",
                $"Model '{model.FullId}' runs on the patient-axes grid; class probabilities are kept for voxel-grid models only.");
        }

        var series = SelectChannels(input, model);
        return await Task.Run(() => Run(series, model, options ?? PipelineOptions.Default, progress, cancellationToken), cancellationToken)
            .ConfigureAwait(false);
    }

    /// <summary>
    /// Writes the RT Structure Set of <paramref name="result"/> to <paramref name="output"/> and returns its bytes: the
    /// model's structures (name, colour, interpreted type, fill holes), manufacturer and interpreter (as a person name),
    /// SoftwareVersions = <paramref name="modelId"/> (the id as requested; <c>Id:Version</c> when null),
    /// StructureSetLabel = that id cut to 16 characters, StructureSetName and SeriesDescription = the model's display
    /// name, and in each ROI ROIGenerationDescription = the model's <c>Id:Version</c> (the model that actually ran).
    /// Reports the "contour" stage.
    /// </summary>
    public static async Task<byte[]> WriteRtAsync(SegmentationResult result, Stream output, ModelConfig model, string? modelId = null,
        IProgress<PipelineProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(model);
        progress?.Report(new PipelineProgress(PipelineStages.Contour, 0));
        var structures = model.Structures.Select(s => new RtStructure(s.Name, s.R, s.G, s.B, s.InterpretedType, s.FillHoles)).ToList();
        // SeriesDescription is an LO (at most 64 characters); a long display name is cut, not refused.
        var description = model.DisplayName.Length > 64 ? model.DisplayName[..64] : model.DisplayName;
        var requested = modelId ?? model.FullId;
        var options = new RtWriteOptions(model.Rt.Manufacturer, model.Rt.Interpreter, requested, requested, description,
            StructureSetName: model.DisplayName, RoiGenerationDescription: model.FullId);
        // Regions (a sigmoid model) may overlap: each is traced from its own mask.
        var bytes = await Task.Run(() => (result.RegionMasks is { } masks
                ? RtStructureSetWriter.Build(masks, result.Reference, structures, options, cancellationToken)
                : RtStructureSetWriter.Build(result.Labels, result.Reference, structures, options, cancellationToken)).ToBytes(),
            cancellationToken).ConfigureAwait(false);
        await output.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
        progress?.Report(new PipelineProgress(PipelineStages.Contour, 100));
        return bytes;
    }

    /// <summary>
    /// A zip with the slices at its top level (no channel folder, as InnerEye-Inference's own tests send) feeds a
    /// single-channel model.
    /// </summary>
    private static LoadedSeries? FlatUpload(SeriesLoadResult input, ModelConfig model) =>
        model.InputChannels.Count == 1 && input.Channels is [{ Channel: "" } only] ? only : null;

    /// <summary>The series for each of the model's input channels, in the model's order, checked.</summary>
    public static IReadOnlyList<LoadedSeries> SelectChannels(SeriesLoadResult input, ModelConfig model)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(model);
        var wanted = model.InputChannels.Select(c => c.Id).ToHashSet(StringComparer.Ordinal);
        var errors = input.Problems.Where(p => p.Severity == ProblemSeverity.Error && (p.Channel.Length == 0 || wanted.Contains(p.Channel))).ToList();
        var selected = new List<LoadedSeries>();
        foreach (var channel in model.InputChannels)
        {
            var series = input.Channel(channel.Id) ?? FlatUpload(input, model);
            if (series is null)
            {
                if (errors.Count > 0) throw new SeriesValidationException(errors);
                throw new InputChannelMissingException(model.FullId, channel.Id, [.. input.Channels.Select(c => c.Channel)]);
            }
            if (!string.Equals(series.Modality, channel.Modality, StringComparison.OrdinalIgnoreCase))
                throw new InputModalityMismatchException(model.FullId, channel.Id, channel.Modality, series.Modality);
            selected.Add(series);
        }
        if (errors.Count > 0) throw new SeriesValidationException(errors);
        return selected;
    }

    private SegmentationResult Run(IReadOnlyList<LoadedSeries> series, ModelConfig model, PipelineOptions options,
        IProgress<PipelineProgress>? progress, CancellationToken cancellationToken)
    {
        if (model.Grid == ModelGrid.Voxel) return RunOnVoxelGrid(series, model, options, progress, cancellationToken);
        if (!model.UsesOriginalPipeline) return RunOnPatientGrid(series, model, options, progress, cancellationToken);
        var session = Sessions.Get(model);
        var reference = series[0];
        var referenceGrid = GridGeometry.Of(reference.Volume);

        var watch = Stopwatch.StartNew();
        progress?.Report(new PipelineProgress(PipelineStages.Resample, 0));
        var spacing = model.Preprocessing.TargetSpacing;
        var modelGrid = spacing is null ? referenceGrid : referenceGrid.PatientAligned(spacing);
        var channels = new ImageVolume[series.Count];
        for (var c = 0; c < series.Count; c++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var window = WindowOf(model, c);
            var volume = series[c].Volume;
            if (c == 0 && spacing is null)
            {
                channels[c] = IntensityWindow.Apply(volume, window);
            }
            else
            {
                // Later channels go straight onto the model grid (the first channel's grid, or a patient-aligned grid
                // at the target spacing) through patient coordinates: one interpolation, not two.
                channels[c] = Resampler.Resample(volume, modelGrid, null, cancellationToken);
                IntensityWindow.ApplyInPlace(channels[c], window);
            }
            progress?.Report(new PipelineProgress(PipelineStages.Resample, 100 * (c + 1) / series.Count));
        }
        var resampleTime = watch.Elapsed;
        _logger.LogDebug("Model {Model}: model grid {X}x{Y}x{Z} for source {SX}x{SY}x{SZ}.", model.FullId,
            modelGrid.SizeX, modelGrid.SizeY, modelGrid.SizeZ, referenceGrid.SizeX, referenceGrid.SizeY, referenceGrid.SizeZ);

        watch.Restart();
        progress?.Report(new PipelineProgress(PipelineStages.Inference, 0));
        var labels = new byte[referenceGrid.VoxelCount];
        var inferenceProgress = InferencePercent(progress);
        var network = new TimedPredictor(session, model.FullId);
        SlidingWindowInference.Run(network, channels, model.ClassCount, model.Preprocessing.PatchSize, model.Preprocessing.PatchOverlap,
            slab => PosteriorMapper.MapSlab(slab, modelGrid, referenceGrid, labels, cancellationToken),
            options.MaxAccumulatorBytes, inferenceProgress, cancellationToken);
        progress?.Report(new PipelineProgress(PipelineStages.Inference, 100));
        var inferenceTime = watch.Elapsed;

        var postprocessTime = Postprocess(labels, referenceGrid, model, progress, cancellationToken);

        var timings = new StageTimings(resampleTime, inferenceTime, postprocessTime) { Network = network.Elapsed, Patches = network.Patches,
            PatchShape = network.Shape };
        _logger.LogInformation("Model {Model} on {Device}: resample {Resample} ms, inference {Inference} ms, postprocess {Postprocess} ms.",
            model.FullId, session.Device, (int)resampleTime.TotalMilliseconds, (int)inferenceTime.TotalMilliseconds,
            (int)postprocessTime.TotalMilliseconds);
        return new SegmentationResult(labels, reference, timings) { Device = session.Device };
    }

    /// <summary>The model's post-processing of the labels on the source grid, reported as the "postprocess" stage; returns its time.</summary>
    private static TimeSpan Postprocess(byte[] labels, GridGeometry grid, ModelConfig model, IProgress<PipelineProgress>? progress,
        CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        progress?.Report(new PipelineProgress(PipelineStages.Postprocess, 0));
        PostProcessing.Apply(labels, grid.SizeX, grid.SizeY, grid.SizeZ, model.Structures.Count, model.Postprocessing, cancellationToken);
        progress?.Report(new PipelineProgress(PipelineStages.Postprocess, 100));
        return watch.Elapsed;
    }

    /// <summary>The window of channel <paramref name="c"/>: its normalisation's, its own, else the preprocessing one.</summary>
    internal static WindowConfig WindowOf(ModelConfig model, int c)
    {
        var channel = model.InputChannels[c];
        return channel.Normalization?.Window ?? channel.Window ?? model.Preprocessing.Window
            ?? throw new InvalidOperationException($"Model '{model.FullId}': channel '{channel.Id}' has no window.");
    }

    /// <summary>
    /// The inference stage's percentages, rising, reported in the calling thread; 100 is left to the caller, who
    /// reports it once the output has been mapped back.
    /// </summary>
    internal static IProgress<int>? InferencePercent(IProgress<PipelineProgress>? progress)
    {
        if (progress is null) return null;
        var lastPercent = 0;
        return new SyncProgress<int>(p =>
        {
            if (p <= lastPercent || p >= 100) return;
            lastPercent = p;
            progress.Report(new PipelineProgress(PipelineStages.Inference, p));
        });
    }

    private sealed class SyncProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
