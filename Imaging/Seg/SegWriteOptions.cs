namespace InnerEye.Imaging.Seg;

/// <summary>
/// What a Segmentation says about who made it. <paramref name="AlgorithmName"/> (the model id) is each segment's
/// SegmentAlgorithmName and the AlgorithmName of its SegmentationAlgorithmIdentificationSequence, whose AlgorithmVersion
/// is <paramref name="AlgorithmVersion"/> (the model version). <paramref name="SoftwareVersions"/> is written as one value
/// (the RT Structure Set writes the model's <c>id:version</c> there too). <paramref name="ContentLabel"/> is a CS of at
/// most 16 characters (A–Z, 0–9, space, underscore). <paramref name="Now"/> fixes every date and time (the machine's local
/// time when null). <paramref name="ImageLaterality"/> is the body part's laterality (R, L, B, or U for an unpaired part
/// such as the thorax, the default); empty leaves it out.
/// </summary>
public sealed record SegWriteOptions(
    string Manufacturer,
    string AlgorithmName,
    string AlgorithmVersion,
    string SoftwareVersions,
    string ContentCreatorName = "",
    string ContentLabel = SegWriteOptions.DefaultContentLabel,
    string ContentDescription = "",
    string SeriesDescription = "",
    int SeriesNumber = 1,
    int InstanceNumber = 1,
    string ManufacturerModelName = SegWriteOptions.DefaultModelName,
    string DeviceSerialNumber = SegWriteOptions.DefaultSerialNumber,
    string ImageLaterality = "U",
    DateTime? Now = null)
{
    public const string DefaultContentLabel = "INNEREYE";
    public const string DefaultModelName = "InnerEye inferencing";
    public const string DefaultSerialNumber = "0";
}
