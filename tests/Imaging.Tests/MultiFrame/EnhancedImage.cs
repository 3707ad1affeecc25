using System.Globalization;
using InnerEye.Imaging.Dicom;

namespace InnerEye.Imaging.Tests.MultiFrame;

/// <summary>
/// Small Enhanced CT images written with our own builder, for the cases no converter writes: per-frame overrides,
/// several stacks, missing geometry, headers that claim more frames than the pixel data holds.
/// </summary>
public sealed record EnhancedImage
{
    public const string EnhancedCtImageStorage = "1.2.840.10008.5.1.4.1.1.2.1";

    public int Frames { get; init; } = 4;
    public int Rows { get; init; } = 6;
    public int Columns { get; init; } = 5;
    public double SliceGap { get; init; } = 2.5;
    public string SeriesUid { get; init; } = "1.2.826.0.1.3680043.10.1.2";
    public string InstanceUid { get; init; } = "1.2.826.0.1.3680043.10.1.3";

    /// <summary>NumberOfFrames as written; null writes <see cref="Frames"/>.</summary>
    public string? ClaimedFrames { get; init; }

    /// <summary>Frames of pixel data written; null writes <see cref="Frames"/>.</summary>
    public int? PixelFrames { get; init; }

    public bool PerFrameItems { get; init; } = true;
    public bool WritePositions { get; init; } = true;

    /// <summary>The StackID of frame i (0-based); "1" for every frame unless told.</summary>
    public Func<int, string?> StackId { get; init; } = _ => "1";

    /// <summary>A per-frame rescale (slope, intercept) overriding the shared one (1, -1024) for frame i, or null.</summary>
    public Func<int, (double Slope, double Intercept)?> PerFrameRescale { get; init; } = _ => null;

    /// <summary>Frames are written in this order of slice positions: frame i lies at z = 10 + Order(i)·gap.</summary>
    public Func<int, int> Order { get; init; } = i => i;

    public static short Stored(int frame, int y, int x) => (short)(1000 + 100 * frame + 10 * y + x);

    public static string Text(double v) => v.ToString("0.###", CultureInfo.InvariantCulture);

    public byte[] Write()
    {
        var pixelFrames = PixelFrames ?? Frames;
        var pixels = new byte[(long)pixelFrames * Rows * Columns * 2];
        for (var f = 0; f < pixelFrames; f++)
        {
            for (var y = 0; y < Rows; y++)
            {
                for (var x = 0; x < Columns; x++)
                    BitConverter.TryWriteBytes(pixels.AsSpan((int)(2 * (((long)f * Rows + y) * Columns + x))), Stored(f, y, x));
            }
        }

        var shared = new DicomDatasetBuilder()
            .AddSequence(DicomTags.PlaneOrientationSequence, new DicomDatasetBuilder()
                .Add(DicomTags.ImageOrientationPatient, DicomVR.DS, "1", "0", "0", "0", "1", "0"))
            .AddSequence(DicomTags.PixelMeasuresSequence, new DicomDatasetBuilder()
                .Add(DicomTags.SliceThickness, DicomVR.DS, Text(SliceGap)).Add(DicomTags.PixelSpacing, DicomVR.DS, "0.5", "0.5"))
            .AddSequence(DicomTags.PixelValueTransformationSequence, new DicomDatasetBuilder()
                .Add(DicomTags.RescaleIntercept, DicomVR.DS, "-1024").Add(DicomTags.RescaleSlope, DicomVR.DS, "1"));
        var perFrame = Enumerable.Range(0, Frames).Select(i =>
        {
            var item = new DicomDatasetBuilder();
            var content = new DicomDatasetBuilder();
            if (StackId(i) is { } stack) content.Add(DicomTags.StackID, DicomVR.SH, stack);
            content.AddUInt32(DicomTags.InStackPositionNumber, (uint)(Order(i) + 1));
            item.AddSequence(DicomTags.FrameContentSequence, content);
            if (WritePositions)
            {
                item.AddSequence(DicomTags.PlanePositionSequence, new DicomDatasetBuilder()
                    .Add(DicomTags.ImagePositionPatient, DicomVR.DS, "-1.25", "-1.5", Text(10 + Order(i) * SliceGap)));
            }

            if (PerFrameRescale(i) is { } r)
            {
                item.AddSequence(DicomTags.PixelValueTransformationSequence, new DicomDatasetBuilder()
                    .Add(DicomTags.RescaleIntercept, DicomVR.DS, Text(r.Intercept)).Add(DicomTags.RescaleSlope, DicomVR.DS, Text(r.Slope)));
            }

            return item;
        }).ToList();

        var ds = new DicomDatasetBuilder()
            .Add(DicomTags.ImageType, DicomVR.CS, "ORIGINAL", "PRIMARY", "AXIAL", "NONE")
            .Add(DicomTags.SOPClassUID, DicomVR.UI, EnhancedCtImageStorage)
            .Add(DicomTags.SOPInstanceUID, DicomVR.UI, InstanceUid)
            .Add(DicomTags.Modality, DicomVR.CS, "CT")
            .Add(DicomTags.PatientName, DicomVR.PN, "Enhanced^Test")
            .Add(DicomTags.PatientID, DicomVR.LO, "E1")
            .Add(DicomTags.StudyInstanceUID, DicomVR.UI, "1.2.826.0.1.3680043.10.1.1")
            .Add(DicomTags.SeriesInstanceUID, DicomVR.UI, SeriesUid)
            .Add(DicomTags.FrameOfReferenceUID, DicomVR.UI, "1.2.826.0.1.3680043.10.1.4")
            .AddUInt16(DicomTags.SamplesPerPixel, 1)
            .Add(DicomTags.PhotometricInterpretation, DicomVR.CS, "MONOCHROME2")
            .Add(DicomTags.NumberOfFrames, DicomVR.IS, ClaimedFrames ?? Frames.ToString(CultureInfo.InvariantCulture))
            .AddUInt16(DicomTags.Rows, (ushort)Rows)
            .AddUInt16(DicomTags.Columns, (ushort)Columns)
            .AddUInt16(DicomTags.BitsAllocated, 16)
            .AddUInt16(DicomTags.BitsStored, 16)
            .AddUInt16(DicomTags.HighBit, 15)
            .AddUInt16(DicomTags.PixelRepresentation, 1)
            .AddSequence(DicomTags.SharedFunctionalGroupsSequence, shared);
        if (PerFrameItems) ds.AddSequence(DicomTags.PerFrameFunctionalGroupsSequence, perFrame);
        ds.AddBytes(DicomTags.PixelData, DicomVR.OW, pixels);
        return DicomWriter.WriteFile(ds, TransferSyntax.ExplicitVRLittleEndian);
    }
}
