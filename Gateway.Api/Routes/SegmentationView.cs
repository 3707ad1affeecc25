using InnerEye.Grains;
using InnerEye.Inference;

namespace InnerEye.Gateway.Api.Routes;

/// <summary>A segmentation as the seed routes show it. <see cref="Progress"/> is overall (0–100), <see cref="StageProgress"/> within the stage.</summary>
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
            s.ErrorCode is null ? null : new SegmentationError(s.ErrorCode, s.ErrorDetail ?? ""), s.CreatedAt, s.UpdatedAt, s.Stages);
    }
}

public sealed record SegmentationError(string Code, string Detail);

/// <summary>The answer to a submit: where to poll.</summary>
public sealed record SegmentationCreated(string SegmentationId, string ModelId, string Status);

/// <summary>A model as <c>GET /api/v1/models</c> lists it.</summary>
public sealed record ModelView(string Id, string Version, string FullId, string DisplayName, IReadOnlyList<ChannelView> Channels,
    IReadOnlyList<StructureView> Structures)
{
    public static ModelView From(ModelConfig m) => new(m.Id, m.Version, m.FullId, m.DisplayName,
        [.. m.InputChannels.Select(c => new ChannelView(c.Id, c.Modality))],
        [.. m.Structures.Select(s => new StructureView(s.Name, [s.R, s.G, s.B], s.InterpretedType, s.FillHoles))]);
}

public sealed record ChannelView(string Id, string Modality);

public sealed record StructureView(string Name, int[] Color, string InterpretedType, bool FillHoles);
