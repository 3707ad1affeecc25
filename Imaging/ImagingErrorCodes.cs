namespace InnerEye.Imaging;

/// <summary>
/// Every <see cref="ImagingException.Code"/> (and volume problem code) this library gives. All describe the input
/// (an upload's zip, DICOM or series) except <see cref="ServiceFaults"/>, which describe the machine it runs on.
/// </summary>
public static class ImagingErrorCodes
{
    public static readonly IReadOnlySet<string> ServiceFaults = new HashSet<string>(StringComparer.Ordinal)
    {
        "CodecUnavailable", // a native codec library is not installed
        "NotFound", // a path given to the loader does not exist
    };

    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal)
    {
        // zip container
        "InvalidZip", "CorruptEntry", "UnsupportedZipEntry", "TooManyEntries", "DuplicateEntryName", "UnsafeEntryName", "EntryTooLarge",
        "UploadTooLarge",
        // DICOM stream
        "Empty", "NotDicom", "Truncated", "LengthPastEnd", "UndefinedLength", "UnexpectedDelimiter", "ExpectedItem", "UnexpectedItem",
        "NestingTooDeep", "InvalidVR", "InvalidNumber", "MissingFileMeta", "InvalidFileMeta", "InvalidDeflate", "InflatedTooLarge", "NoDataSet",
        "UnsupportedTransferSyntax",
        // pixel data
        "NoPixelData", "MissingPixelModule", "PixelDataTooShort", "UnsupportedPixelFormat", "FrameTooLarge", "NotEncapsulated",
        "UnexpectedEncapsulation", "NoFragments", "BadOffsetTable", "AmbiguousFrames", "CorruptPixelData", "UnsupportedPixelData",
        "CodecUnavailable",
        // series and geometry
        "NoImages", "NotAnImage", "MultipleSeries", "MissingAttribute", "InconsistentPixelFormat", "NotGrayscale", "MultiFrame",
        "MultipleFramesOfReference", "MissingGeometry", "InvalidPixelSpacing", "InconsistentPixelSpacing", "NonSquarePixels",
        "NonOrthonormalOrientation", "InconsistentOrientation", "InconsistentSlicePosition", "DuplicateSlicePosition", "MissingSlices",
        "NonUniformSliceSpacing", "TiltTooLarge",
        // multi-frame images
        "Mosaic", "MixedFrameLayout", "MultipleStacks", "InconsistentFrameCount", "InvalidNumberOfFrames",
        // RT Structure Set reading
        "NotAStructureSet", "InvalidContour",
        // Segmentation writing
        "SegmentsOverlap",
        "InvalidNifti",
        "NotFound",
    };
}
