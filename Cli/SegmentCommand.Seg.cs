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
        File.WriteAllBytes(path, ResultWriters.Seg(result, model, form));
        return clock.Elapsed;
    }
}
