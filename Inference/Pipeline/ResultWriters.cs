using InnerEye.Imaging.Nifti;
using InnerEye.Imaging.Preview;
using InnerEye.Imaging.Seg;

namespace InnerEye.Inference;

/// <summary>
/// The forms of a segmentation besides the RT Structure Set, written from the result while its volume is in memory:
/// DICOM Segmentation (BINARY or label map), the label volume as NIfTI-1, and a preview image (PNG).
/// </summary>
public static class ResultWriters
{
    /// <summary>
    /// The result as a DICOM Segmentation: the model's structures as segments (name, colour, optional code), the model id as
    /// algorithm name and its version as algorithm version. A sigmoid model's regions are written from their own masks, so
    /// they may overlap in the BINARY form; the label-map form refuses overlapping regions (<see cref="SegmentOverlapException"/>).
    /// </summary>
    public static byte[] Seg(SegmentationResult result, ModelConfig model, SegForm form, string? modelId = null)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(model);
        var segments = SegSegments(model);
        var description = model.DisplayName.Length > 64 ? model.DisplayName[..64] : model.DisplayName;
        var options = new SegWriteOptions(model.Rt.Manufacturer, model.Id, model.Version, modelId ?? model.FullId, SeriesDescription: description);
        var seg = result.RegionMasks is { } masks
            ? SegmentationWriter.Build(masks, result.Reference, segments, options, form)
            : SegmentationWriter.Build(result.Labels, result.Reference, segments, options, form);
        return seg.ToBytes();
    }

    /// <summary>The model's structures as SEG segments, in label order.</summary>
    public static IReadOnlyList<SegSegment> SegSegments(ModelConfig model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return [.. model.Structures.Select(s => new SegSegment(s.Name, s.R, s.G, s.B, s.Code))];
    }

    /// <summary>The label volume (uint8 on the source grid) as a NIfTI-1 image.</summary>
    public static NiftiImage Labels(SegmentationResult result, ModelConfig model)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(model);
        var v = result.Reference.Volume;
        return NiftiImage.Labels(result.Labels, [v.SizeX, v.SizeY, v.SizeZ], v.Spacing, v.Origin, v.Direction, $"{model.FullId} labels");
    }

    /// <summary>
    /// The preview PNG: the reference volume in three cuts with each structure's outline in the model's colour for it
    /// (the colours the RT Structure Set and the SEG are written with).
    /// </summary>
    public static PreviewImage Preview(SegmentationResult result, ModelConfig model, int maxPanelPixels = PreviewRenderer.DefaultMaxPanelPixels)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(model);
        var colours = model.Structures.Select(s => new PreviewColour(s.R, s.G, s.B)).ToList();
        return PreviewRenderer.Render(result.Reference.Volume, result.Reference.Modality, result.Labels, colours, maxPanelPixels);
    }
}
