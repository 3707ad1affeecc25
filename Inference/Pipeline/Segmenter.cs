using System.Diagnostics;
using InnerEye.Imaging.Series;

namespace InnerEye.Inference;

/// <summary>
/// How a caller shares its resources with a job: <see cref="DecodeSlot"/> is held while the upload decodes and until
/// the network slot is taken, <see cref="NetworkSlot"/> while the model runs. Each returns what releases it.
/// </summary>
public sealed record SegmenterGates(Func<CancellationToken, Task<IDisposable>> DecodeSlot, Func<CancellationToken, Task<IDisposable>> NetworkSlot)
{
    public static SegmenterGates None { get; } = new(_ => Task.FromResult<IDisposable>(NoSlot.Instance),
        _ => Task.FromResult<IDisposable>(NoSlot.Instance));

    private sealed class NoSlot : IDisposable
    {
        public static readonly NoSlot Instance = new();

        public void Dispose()
        {
        }
    }
}

/// <summary>A whole job's outcome: the segmentation, the RT Structure Set's bytes and how long each stage took.</summary>
public sealed record SegmenterResult(SegmentationResult Segmentation, byte[] Rt, TimeSpan Decode, TimeSpan Contour)
{
    public TimeSpan Total => Decode + Segmentation.Timings.Total + Contour;
}

/// <summary>
/// The one entry point for a whole job, used by the model grains and the command line alike: decode the upload (a
/// gateway zip or a folder) → pick and check the model's channels → run the model → contour → RT Structure Set.
/// Progress is reported for every stage, "decode" included, each 0 to 100 in order.
/// </summary>
public sealed class Segmenter(SegmentationPipeline pipeline, SeriesLoadOptions? loadOptions = null)
{
    private readonly SeriesLoadOptions _loadOptions = loadOptions ?? SeriesLoadOptions.Default;

    public SegmentationPipeline Pipeline { get; } = pipeline ?? throw new ArgumentNullException(nameof(pipeline));

    /// <summary>
    /// Segments the upload at <paramref name="inputPath"/> with <paramref name="model"/> and writes the RT Structure Set
    /// to <paramref name="rtOutput"/>. <paramref name="modelId"/> is the id as requested (SoftwareVersions); null gives
    /// <c>Id:Version</c>.
    /// </summary>
    /// <exception cref="Imaging.ImagingException">The upload cannot be read or is not a usable series.</exception>
    /// <exception cref="InferenceException">The upload does not fit the model, or the model cannot run.</exception>
    public async Task<SegmenterResult> RunAsync(string inputPath, ModelConfig model, Stream rtOutput, string? modelId = null,
        PipelineOptions? options = null, SegmenterGates? gates = null, IProgress<PipelineProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(inputPath);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(rtOutput);
        gates ??= SegmenterGates.None;
        SeriesLoadResult input;
        IDisposable networkSlot;
        var watch = Stopwatch.StartNew();
        TimeSpan decode;
        using (await gates.DecodeSlot(cancellationToken).ConfigureAwait(false))
        {
            watch.Restart();
            input = await Task.Run(() =>
            {
                progress?.Report(new PipelineProgress(PipelineStages.Decode, 0));
                var loaded = VolumeLoader.Load(inputPath, _loadOptions, cancellationToken);
                progress?.Report(new PipelineProgress(PipelineStages.Decode, 100));
                return loaded;
            }, cancellationToken).ConfigureAwait(false);
            decode = watch.Elapsed;
            // Decoded volumes are what a waiting job holds: the decode slot is kept until the network slot is taken.
            networkSlot = await gates.NetworkSlot(cancellationToken).ConfigureAwait(false);
        }
        SegmentationResult result;
        using (networkSlot)
            result = await Pipeline.RunAsync(input, model, options, progress, cancellationToken).ConfigureAwait(false);

        watch.Restart();
        var rt = await SegmentationPipeline.WriteRtAsync(result, rtOutput, model, modelId, progress, cancellationToken).ConfigureAwait(false);
        return new SegmenterResult(result, rt, decode, watch.Elapsed);
    }
}
