namespace InnerEye.Imaging.Dicom;

/// <summary>A parsed Part 10 file (or a bare data set): its file meta information, data set and transfer syntax.</summary>
public sealed record DicomFile(DicomDataset? Meta, DicomDataset Dataset, TransferSyntax TransferSyntax, bool HasPreamble);
