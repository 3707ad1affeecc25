using InnerEye.Imaging.Dicom;

namespace InnerEye.Imaging.Rt;

/// <summary>
/// One structure (ROI) of a label volume: label value i is structure i − 1. <paramref name="InterpretedType"/> is the
/// RTROIInterpretedType (ORGAN, CTV, EXTERNAL, …; empty or "None" writes an empty value). With
/// <paramref name="FillHoles"/> only the outer rims are written, so readers see the structure with its holes filled.
/// </summary>
public sealed record RtStructure(string Name, byte R, byte G, byte B, string InterpretedType, bool FillHoles);

/// <summary>
/// What an RT Structure Set says about who made it. <paramref name="SoftwareVersions"/> is the model id as requested,
/// written as a single value. <paramref name="StructureSetLabel"/> (SH) is cut to its first 16 characters (trailing
/// spaces dropped); an empty one is written as <see cref="DefaultLabel"/>. <paramref name="StructureSetName"/> and
/// <paramref name="RoiGenerationDescription"/> (LO, written in every ROI; left out when empty) are cut to 64 characters.
/// <paramref name="Interpreter"/> becomes the ROIInterpreter person name (see <see cref="RtStructureSetWriter.InterpreterName"/>).
/// <paramref name="Now"/> fixes SeriesDate/Time and StructureSetDate/Time (local time of the machine when null).
/// </summary>
public sealed record RtWriteOptions(
    string Manufacturer,
    string Interpreter,
    string SoftwareVersions,
    string StructureSetLabel,
    string SeriesDescription,
    string RoiGenerationAlgorithm = "AUTOMATIC",
    DateTime? Now = null,
    string StructureSetName = "",
    string RoiGenerationDescription = "",
    int SeriesNumber = RtWriteOptions.DefaultSeriesNumber)
{
    public const string DefaultLabel = "InnerEye";

    /// <summary>
    /// The SeriesNumber of every structure set: fixed, so that the same input gives the same output, and far above the
    /// numbers scanners give acquired series, so that it sorts after the images and never takes an image series' number.
    /// </summary>
    public const int DefaultSeriesNumber = 9001;

    /// <summary>The InstanceNumber of the structure set: the one instance of its series.</summary>
    public const int InstanceNumber = 1;
}

/// <summary>
/// A built RT Structure Set, ready to be written: the data set, its new UIDs and, per structure (in label order), how
/// many contours it holds.
/// </summary>
public sealed record RtStructureSet(DicomDatasetBuilder Dataset, string SopInstanceUid, string SeriesInstanceUid, IReadOnlyList<int> ContourCounts)
{
    /// <summary>Writes the Part 10 file (Implicit VR Little Endian) to a stream; nothing follows the data set.</summary>
    public void WriteTo(Stream output) => DicomWriter.WriteFile(output, Dataset, TransferSyntax.ImplicitVRLittleEndian);

    /// <summary>The Part 10 file as an array of exactly its length.</summary>
    public byte[] ToBytes() => DicomWriter.WriteFile(Dataset, TransferSyntax.ImplicitVRLittleEndian);
}
