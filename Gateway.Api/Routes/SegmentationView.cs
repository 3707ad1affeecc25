using InnerEye.Grains;
using InnerEye.Inference;

namespace InnerEye.Gateway.Api.Routes;

/// <summary>A segmentation as the seed routes show it. <see cref="Progress"/> is overall (0–100), <see cref="StageProgress"/> within the
/// stage.</summary>
public sealed record SegmentationView(
    string SegmentationId,
    string ModelId,
    string Status,
    string? Stage,
    int Progress,
    int StageProgress,
    SegmentationError? Error,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    IReadOnlyList<StageTime> Stages)
{
    /// <summary>The client (API key name, <c>default</c> for the secret) that submitted the job; null for a job DICOMweb started.</summary>
    public string? Client { get; init; }

    /// <summary>For a job that DICOMweb started: the study, the series of each channel and the rule; absent otherwise.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public DicomWebOriginView? Origin { get; init; }

    /// <summary>For a job that DICOMweb started: the result's delivery to each destination of its rule.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<DeliveryStatus>? Deliveries { get; init; }

    /// <summary>Where each stage starts and ends on the overall 0–100 scale; the network dominates.</summary>
    private static readonly Dictionary<string, (int From, int To)> StageSpans = new(StringComparer.Ordinal)
    {
        [PipelineStages.Decode] = (0, 10),
        [PipelineStages.Resample] = (10, 20),
        [PipelineStages.Inference] = (20, 80),
        [PipelineStages.Postprocess] = (80, 90),
        [PipelineStages.Contour] = (90, 100),
    };

    public static SegmentationView From(SegmentationStatus s)
    {
        ArgumentNullException.ThrowIfNull(s);
        var progress = s.State switch
        {
            JobState.Completed => 100,
            JobState.Running when s.Stage is { } stage && StageSpans.TryGetValue(stage, out var span) =>
                span.From + (span.To - span.From) * Math.Clamp(s.Progress, 0, 100) / 100,
            _ => 0,
        };
        return new SegmentationView(s.SegmentationId, s.ModelId, s.State.ToString().ToLowerInvariant(), s.Stage, progress,
            s.State == JobState.Running ? s.Progress : 0,
            s.ErrorCode is null ? null : new SegmentationError(s.ErrorCode, s.ErrorDetail ?? ""), s.CreatedAt, s.UpdatedAt, s.Stages)
        {
            Client = s.Client,
            Origin = s.Origin is { } o
                ? new DicomWebOriginView(o.StudyInstanceUid, o.SeriesByChannel, o.Rule, o.Destinations,
                    [.. o.DeliveredFormats.Select(ResultArtifacts.Name)])
                : null,
            Deliveries = s.Origin is null ? null : s.Deliveries ?? [],
        };
    }
}

public sealed record SegmentationError(string Code, string Detail);

/// <summary>Where a DICOMweb job came from: its StudyInstanceUID, the SeriesInstanceUID feeding each model channel, the rule and its
/// destinations.</summary>
public sealed record DicomWebOriginView(string StudyInstanceUid, IReadOnlyDictionary<string, string> SeriesInstanceUids, string Rule,
    IReadOnlyList<string> Destinations, IReadOnlyList<string> Formats);

/// <summary>The answer to a submit: where to poll.</summary>
public sealed record SegmentationCreated(string SegmentationId, string ModelId, string Status);

/// <summary>A model as <c>GET /api/v1/models</c> lists it: its inputs, structures and how it runs.</summary>
public sealed record ModelView(string Id, string Version, string FullId, string DisplayName, IReadOnlyList<ChannelView> Channels,
    IReadOnlyList<StructureView> Structures)
{
    /// <summary>"patientAxes" or "voxel" (nnU-Net's convention).</summary>
    public string Grid { get; init; } = "patientAxes";

    /// <summary>The number of networks whose outputs are averaged (nnU-Net's folds); 1 for a single network.</summary>
    public int EnsembleSize { get; init; } = 1;

    /// <summary>The array axes (0 = z, 1 = y, 2 = x) mirrored at test time; empty when there is no mirroring.</summary>
    public IReadOnlyList<int> MirrorAxes { get; init; } = [];

    public required SlidingWindowView SlidingWindow { get; init; }

    /// <summary>"softmax" (one class per voxel) or "sigmoid" (regions, which may overlap).</summary>
    public string Output { get; init; } = "softmax";

    public static ModelView From(ModelConfig m) => new(m.Id, m.Version, m.FullId, m.DisplayName,
        [.. m.InputChannels.Select((c, i) => new ChannelView(c.Id, c.Modality) { Normalization = NormalizationView.Of(m, i) })],
        [.. m.Structures.Select(s => new StructureView(s.Name, [s.R, s.G, s.B], s.InterpretedType, s.FillHoles))])
    {
        Grid = m.Grid == ModelGrid.Voxel ? "voxel" : "patientAxes",
        EnsembleSize = m.OnnxPaths.Count,
        MirrorAxes = m.MirrorAxes,
        SlidingWindow = new SlidingWindowView(m.Preprocessing.PatchSize, m.SlidingWindow.StepFraction, m.Preprocessing.PatchOverlap,
            m.SlidingWindow.Blending == Blending.Gaussian ? "gaussian" : "linear", m.SlidingWindow.BatchSize),
        Output = m.Output.Activation == OutputActivation.Sigmoid ? "sigmoid" : "softmax",
    };
}

public sealed record ChannelView(string Id, string Modality)
{
    public NormalizationView? Normalization { get; init; }
}

/// <summary>A channel's normalisation: the scheme and its numbers (window level/width, or clip bounds, mean and std).</summary>
public sealed record NormalizationView(string Scheme)
{
    public double? Level { get; init; }
    public double? Width { get; init; }
    public double? Lower { get; init; }
    public double? Upper { get; init; }
    public double? Mean { get; init; }
    public double? Std { get; init; }
    public bool? NonzeroMaskOnly { get; init; }

    public static NormalizationView Of(ModelConfig model, int channel)
    {
        var c = model.InputChannels[channel];
        var n = c.Normalization;
        var window = n?.Window ?? c.Window ?? model.Preprocessing.Window;
        return n?.Scheme switch
        {
            NormalizationScheme.CtClipZScore => new("ctClipZScore") { Lower = n.Lower, Upper = n.Upper, Mean = n.Mean, Std = n.Std },
            NormalizationScheme.ZScore => new("zScore") { NonzeroMaskOnly = n.NonzeroMaskOnly },
            NormalizationScheme.Rescale01 => new("rescale01"),
            NormalizationScheme.None => new("none"),
            _ => new("window") { Level = window?.Level, Width = window?.Width },
        };
    }
}

/// <summary>Patch [z, y, x], step (nnU-Net's step fraction, or the overlap in voxels), blending and patches per network run.</summary>
public sealed record SlidingWindowView(int[] Patch, double? StepFraction, int[] Overlap, string Blending, int BatchSize);

public sealed record StructureView(string Name, int[] Color, string InterpretedType, bool FillHoles);
