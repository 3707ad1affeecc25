using InnerEye.Imaging.Dicom;
using InnerEye.Imaging.Series;

namespace InnerEye.Imaging.Seg;

/// <summary>The Segmentation's items that do not depend on its form: copied modules, segment descriptions, references.</summary>
internal static class SegCommon
{
    /// <summary>Patient and General Study modules, as the RT Structure Set writer copies them.</summary>
    public static void CopyPatientAndStudy(DicomDatasetBuilder ds, LoadedSeries source) => PatientStudyCopy.AddTo(ds, source);

    /// <summary>The source's FrameOfReferenceUID echoed, its PositionReferenceIndicator copied (or empty).</summary>
    public static void AddFrameOfReference(DicomDatasetBuilder ds, LoadedSeries source)
    {
        ds.Add(DicomTags.FrameOfReferenceUID, DicomVR.UI, source.FrameOfReferenceUid);
        var indicator = source.PatientAndStudy.FirstOrDefault(c => c.Tag == DicomTags.PositionReferenceIndicator);
        if (indicator is not null) ds.AddBytes(DicomTags.PositionReferenceIndicator, indicator.VR, indicator.Value);
        else ds.Add(DicomTags.PositionReferenceIndicator, DicomVR.LO, "");
    }

    public static DicomDatasetBuilder Code(SegCode code) => new DicomDatasetBuilder()
        .Add(SegTags.CodeValue, DicomVR.SH, code.Value)
        .Add(SegTags.CodingSchemeDesignator, DicomVR.SH, code.Scheme)
        .Add(SegTags.CodeMeaning, DicomVR.LO, code.Meaning);

    /// <summary>One Segment Description (C.8.20.4.1) item for an automatic segment of the model.</summary>
    public static DicomDatasetBuilder SegmentItem(int number, SegSegment segment, SegWriteOptions options)
    {
        var code = SegmentCodes.For(segment);
        var type = Code(code.Type);
        if (code.TypeModifier is { } modifier) type.AddSequence(SegTags.SegmentedPropertyTypeModifierCodeSequence, Code(modifier));
        return Automatic(number, segment.Label, options)
            .AddSequence(SegTags.SegmentedPropertyCategoryCodeSequence, Code(code.Category))
            .AddSequence(SegTags.SegmentedPropertyTypeCodeSequence, type)
            .AddUInt16(SegTags.RecommendedDisplayCIELabValue, CieLab.ToDicom(segment.R, segment.G, segment.B));
    }

    /// <summary>Segment 0 of a label map: the background (125040, DCM), black.</summary>
    public static DicomDatasetBuilder BackgroundItem(SegWriteOptions options) => Automatic(0, "Background", options)
        .AddSequence(SegTags.SegmentedPropertyCategoryCodeSequence, Code(SegmentCodes.Background))
        .AddSequence(SegTags.SegmentedPropertyTypeCodeSequence, Code(SegmentCodes.Background))
        .AddUInt16(SegTags.RecommendedDisplayCIELabValue, CieLab.ToDicom(0, 0, 0));

    /// <summary>
    /// SegmentAlgorithmType AUTOMATIC, SegmentAlgorithmName the model id (required when not MANUAL), and the Algorithm
    /// Identification Macro (Table 10-19) in SegmentationAlgorithmIdentificationSequence: family, name and the model version.
    /// </summary>
    private static DicomDatasetBuilder Automatic(int number, string label, SegWriteOptions options) => new DicomDatasetBuilder()
        .AddUInt16(SegTags.SegmentNumber, (ushort)number)
        .Add(SegTags.SegmentLabel, DicomVR.LO, label)
        .Add(SegTags.SegmentAlgorithmType, DicomVR.CS, "AUTOMATIC")
        .Add(SegTags.SegmentAlgorithmName, DicomVR.LO, options.AlgorithmName)
        .AddSequence(SegTags.SegmentationAlgorithmIdentificationSequence, new DicomDatasetBuilder()
            .AddSequence(SegTags.AlgorithmFamilyCodeSequence, Code(SegmentationWriter.ArtificialIntelligence))
            .Add(SegTags.AlgorithmName, DicomVR.LO, options.AlgorithmName)
            .Add(SegTags.AlgorithmVersion, DicomVR.LO, options.AlgorithmVersion));

    /// <summary>
    /// A frame's DerivationImageSequence item: the source slice it segments (with its frame number when the slice is a
    /// frame of a multi-frame image), and how it was derived.
    /// </summary>
    public static DicomDatasetBuilder DerivationItem(SliceReference slice)
    {
        var source = new DicomDatasetBuilder()
            .Add(DicomTags.ReferencedSOPClassUID, DicomVR.UI, slice.SopClassUid)
            .Add(DicomTags.ReferencedSOPInstanceUID, DicomVR.UI, slice.SopInstanceUid);
        if (slice.FrameNumber is { } frame)
            source.Add(DicomTags.ReferencedFrameNumber, DicomVR.IS, frame.ToString(System.Globalization.CultureInfo.InvariantCulture));
        source.AddSequence(SegTags.PurposeOfReferenceCodeSequence, Code(SegmentationWriter.SourceImage));
        return new DicomDatasetBuilder()
            .AddSequence(SegTags.SourceImageSequence, source)
            .AddSequence(SegTags.DerivationCodeSequence, Code(SegmentationWriter.Derivation));
    }
}
