using InnerEye.Imaging.Dicom;

namespace InnerEye.Imaging.Seg;

/// <summary>
/// A built Segmentation, ready to be written: the data set, its new UIDs, the form, the number of frames and, per
/// segment number written (in order), the 0-based index of the segment it came from in the list given to the writer.
/// Segments empty everywhere are not written. In the BINARY form segment numbers run 1, 2, … over the written
/// segments; in the label-map form each keeps its label value as segment number (the pixel value), and segment 0, the
/// background, is described first (it is not in <see cref="SegmentIndexes"/>).
/// </summary>
public sealed record Segmentation(
    DicomDatasetBuilder Dataset,
    string SopInstanceUid,
    string SeriesInstanceUid,
    SegForm Form,
    int Frames,
    IReadOnlyList<int> SegmentNumbers,
    IReadOnlyList<int> SegmentIndexes)
{
    /// <summary>The transfer syntax of the form: Explicit VR Little Endian for BINARY, RLE Lossless for the label map.</summary>
    public TransferSyntax TransferSyntax => Form == SegForm.LabelMap ? TransferSyntax.RleLossless : TransferSyntax.ExplicitVRLittleEndian;

    /// <summary>Writes the Part 10 file to a stream; nothing follows the data set.</summary>
    public void WriteTo(Stream output) => DicomWriter.WriteFile(output, Dataset, TransferSyntax);

    /// <summary>The Part 10 file as an array of exactly its length.</summary>
    public byte[] ToBytes() => DicomWriter.WriteFile(Dataset, TransferSyntax);
}
