using System.Diagnostics;
using InnerEye.Imaging.Seg;
using InnerEye.Inference;

namespace InnerEye.Cli;

/// <summary>The segment command's DICOM Segmentation output (<c>--seg</c>, <c>--seg-form</c>).</summary>
public static partial class SegmentCommand
{
    /// <summary>
    /// Writes the result as a DICOM Segmentation beside the RT Structure Set: the model's structures as segments (name,
    /// colour, optional code), the model id as algorithm name and its version as algorithm version, the RT manufacturer.
    /// A sigmoid model's regions are written from their own masks, so they may overlap in the BINARY form; the label-map
    /// form refuses overlapping regions (<see cref="SegmentOverlapException"/>).
    /// </summary>
    internal static TimeSpan WriteSeg(string path, SegForm form, SegmentationResult result, ModelConfig model)
    {
        var clock = Stopwatch.StartNew();
        var segments = SegSegments(model);
        var description = model.DisplayName.Length > 64 ? model.DisplayName[..64] : model.DisplayName;
        var options = new SegWriteOptions(model.Rt.Manufacturer, model.Id, model.Version, model.FullId, SeriesDescription: description);
        var seg = result.RegionMasks is { } masks
            ? SegmentationWriter.Build(masks, result.Reference, segments, options, form)
            : SegmentationWriter.Build(result.Labels, result.Reference, segments, options, form);
        using (var file = File.Create(path)) seg.WriteTo(file);
        return clock.Elapsed;
    }

    /// <summary>The model's structures as SEG segments, in label order.</summary>
    public static IReadOnlyList<SegSegment> SegSegments(ModelConfig model) =>
        [.. model.Structures.Select(s => new SegSegment(s.Name, s.R, s.G, s.B, s.Code))];
}
