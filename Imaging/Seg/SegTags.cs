using InnerEye.Imaging.Dicom;

namespace InnerEye.Imaging.Seg;

/// <summary>The tags of the Segmentation IOD and its functional groups that <see cref="SegmentationWriter"/> writes (PS3.6 keywords).</summary>
internal static class SegTags
{
    public static readonly DicomTag ContentDate = new(0x00080023u);
    public static readonly DicomTag ContentTime = new(0x00080033u);
    public static readonly DicomTag InstanceCreationDate = new(0x00080012u);
    public static readonly DicomTag InstanceCreationTime = new(0x00080013u);
    public static readonly DicomTag CodeValue = new(0x00080100u);
    public static readonly DicomTag CodingSchemeDesignator = new(0x00080102u);
    public static readonly DicomTag CodeMeaning = new(0x00080104u);
    public static readonly DicomTag ReferencedSeriesSequence = new(0x00081115u);
    public static readonly DicomTag ReferencedInstanceSequence = new(0x0008114Au);
    public static readonly DicomTag DerivationDescription = new(0x00082111u);
    public static readonly DicomTag SourceImageSequence = new(0x00082112u);
    public static readonly DicomTag DerivationImageSequence = new(0x00089124u);
    public static readonly DicomTag DerivationCodeSequence = new(0x00089215u);
    public static readonly DicomTag PurposeOfReferenceCodeSequence = new(0x0040A170u);
    public static readonly DicomTag ManufacturerModelName = new(0x00081090u);
    public static readonly DicomTag DeviceSerialNumber = new(0x00181000u);
    public static readonly DicomTag ImageLaterality = new(0x00200062u);
    public static readonly DicomTag SpacingBetweenSlices = new(0x00180088u);
    public static readonly DicomTag NumberOfFrames = new(0x00280008u);
    public static readonly DicomTag PixelPaddingValue = new(0x00280120u);
    public static readonly DicomTag LossyImageCompression = new(0x00282110u);
    public static readonly DicomTag DimensionOrganizationUID = new(0x00209164u);
    public static readonly DicomTag DimensionIndexPointer = new(0x00209165u);
    public static readonly DicomTag FunctionalGroupPointer = new(0x00209167u);
    public static readonly DicomTag DimensionIndexValues = new(0x00209157u);
    public static readonly DicomTag DimensionOrganizationSequence = new(0x00209221u);
    public static readonly DicomTag DimensionIndexSequence = new(0x00209222u);
    public static readonly DicomTag DimensionDescriptionLabel = new(0x00209421u);
    public static readonly DicomTag SharedFunctionalGroupsSequence = new(0x52009229u);
    public static readonly DicomTag PerFrameFunctionalGroupsSequence = new(0x52009230u);
    public static readonly DicomTag PixelMeasuresSequence = new(0x00289110u);
    public static readonly DicomTag FrameContentSequence = new(0x00209111u);
    public static readonly DicomTag PlanePositionSequence = new(0x00209113u);
    public static readonly DicomTag PlaneOrientationSequence = new(0x00209116u);
    public static readonly DicomTag SegmentationType = new(0x00620001u);
    public static readonly DicomTag SegmentSequence = new(0x00620002u);
    public static readonly DicomTag SegmentedPropertyCategoryCodeSequence = new(0x00620003u);
    public static readonly DicomTag SegmentNumber = new(0x00620004u);
    public static readonly DicomTag SegmentLabel = new(0x00620005u);
    public static readonly DicomTag SegmentationAlgorithmIdentificationSequence = new(0x00620007u);
    public static readonly DicomTag SegmentAlgorithmType = new(0x00620008u);
    public static readonly DicomTag SegmentAlgorithmName = new(0x00620009u);
    public static readonly DicomTag SegmentIdentificationSequence = new(0x0062000Au);
    public static readonly DicomTag ReferencedSegmentNumber = new(0x0062000Bu);
    public static readonly DicomTag RecommendedDisplayCIELabValue = new(0x0062000Du);
    public static readonly DicomTag SegmentedPropertyTypeCodeSequence = new(0x0062000Fu);
    public static readonly DicomTag SegmentedPropertyTypeModifierCodeSequence = new(0x00620011u);
    public static readonly DicomTag SegmentsOverlap = new(0x00620013u);
    public static readonly DicomTag AlgorithmVersion = new(0x00660031u);
    public static readonly DicomTag AlgorithmFamilyCodeSequence = new(0x0066002Fu);
    public static readonly DicomTag AlgorithmName = new(0x00660036u);
    public static readonly DicomTag ContentLabel = new(0x00700080u);
    public static readonly DicomTag ContentDescription = new(0x00700081u);
    public static readonly DicomTag ContentCreatorName = new(0x00700084u);
}
