using System.Buffers.Binary;
using System.Globalization;
using InnerEye.Imaging.Dicom;
using InnerEye.Imaging.Pixels;
using InnerEye.Imaging.Series;

namespace InnerEye.Imaging.Seg;

/// <summary>
/// Turns a segmentation on a source series' grid into a DICOM Segmentation (PS3.3 A.51), in the BINARY form
/// (Segmentation Storage) or the label-map form of Supplement 243 (Label Map Segmentation Storage), written in
/// Explicit VR Little Endian. Patient and study attributes are copied byte for byte from the source and its UIDs echoed
/// as the RT Structure Set writer does; the Frame of Reference is the source's.
/// </summary>
/// <remarks>
/// <para>
/// BINARY: one frame per segment per source slice that holds it, segment by segment and within a segment in slice
/// order, the bits packed across frame boundaries (PS3.5 8.1.1: the first pixel in the least significant bit). Each
/// frame's functional groups give its ImagePositionPatient (the source slice's), the source slice it derives from and its
/// ReferencedSegmentNumber; the dimensions are ReferencedSegmentNumber and ImagePositionPatient. Segment numbers run 1, 2,
/// … over the segments written, as the standard requires for this form.
/// </para>
/// <para>
/// Label map: one frame per source slice, pixel value = segment number = label value, 8 bits (16 beyond 255 segments),
/// MONOCHROME2, the dimension ImagePositionPatient alone. Every pixel value present must be described (C.8.20.2.3), so
/// segment 0 describes the background, which PixelPaddingValue 0 also marks. Overlapping masks cannot be written in this
/// form: <see cref="SegmentOverlapException"/> is thrown rather than dropping a segment from any voxel.
/// </para>
/// <para>A segment empty everywhere is left out of both forms; an empty frame of a segment is left out of the BINARY form.</para>
/// </remarks>
public static class SegmentationWriter
{
    public const string SegmentationStorage = "1.2.840.10008.5.1.4.1.1.66.4";
    public const string LabelMapSegmentationStorage = "1.2.840.10008.5.1.4.1.1.66.7";

    /// <summary>The segments' AlgorithmFamilyCodeSequence: (123110, DCM, "Artificial Intelligence"), CID 7162.</summary>
    public static readonly SegCode ArtificialIntelligence = new("123110", "DCM", "Artificial Intelligence");

    private static readonly SegCode SourceImagePurpose = new("121322", "DCM", "Source image for image processing operation");
    private static readonly SegCode SegmentationDerivation = new("113076", "DCM", "Segmentation");

    /// <summary>Builds the Segmentation of a label volume and writes it as a Part 10 file to <paramref name="output"/>.</summary>
    public static Segmentation Write(Stream output, byte[] labels, LoadedSeries source, IReadOnlyList<SegSegment> segments,
        SegWriteOptions options, SegForm form, CancellationToken cancellationToken = default)
    {
        var seg = Build(labels, source, segments, options, form, cancellationToken);
        seg.WriteTo(output);
        return seg;
    }

    /// <summary>Builds the Segmentation of one mask per segment and writes it as a Part 10 file to <paramref name="output"/>.</summary>
    public static Segmentation Write(Stream output, IReadOnlyList<bool[]> masks, LoadedSeries source, IReadOnlyList<SegSegment> segments,
        SegWriteOptions options, SegForm form, CancellationToken cancellationToken = default)
    {
        var seg = Build(masks, source, segments, options, form, cancellationToken);
        seg.WriteTo(output);
        return seg;
    }

    /// <summary>
    /// Builds the Segmentation of <paramref name="labels"/>: SizeX·SizeY·SizeZ bytes on the source grid, x fastest,
    /// slices in the order of <see cref="LoadedSeries.Slices"/>; value i marks segment i − 1, zero is background.
    /// </summary>
    public static Segmentation Build(byte[] labels, LoadedSeries source, IReadOnlyList<SegSegment> segments,
        SegWriteOptions options, SegForm form, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(segments);
        var v = Check(source);
        if (labels.LongLength != v.VoxelCount)
            throw new ArgumentException(
                $"The label volume holds {labels.LongLength} values; the series grid {v.SizeX}x{v.SizeY}x{v.SizeZ} needs {v.VoxelCount}.",
                nameof(labels));
        if (segments.Count is 0 or > byte.MaxValue)
            throw new ArgumentException($"A label volume holds 1 to 255 segments; {segments.Count} were given.", nameof(segments));
        return Build(new LabelVoxels(labels, segments.Count, v.SizeX, v.SizeY, v.SizeZ), source, segments, options, form, cancellationToken);
    }

    /// <summary>
    /// Builds the Segmentation of one mask per segment (SizeX·SizeY·SizeZ values on the source grid, x fastest, slices
    /// in the order of <see cref="LoadedSeries.Slices"/>). Masks may overlap in the BINARY form; in the label-map form
    /// overlapping masks throw <see cref="SegmentOverlapException"/>.
    /// </summary>
    public static Segmentation Build(IReadOnlyList<bool[]> masks, LoadedSeries source, IReadOnlyList<SegSegment> segments,
        SegWriteOptions options, SegForm form, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(masks);
        ArgumentNullException.ThrowIfNull(segments);
        var v = Check(source);
        if (masks.Count != segments.Count)
            throw new ArgumentException($"{masks.Count} masks were given for {segments.Count} segments.", nameof(masks));
        if (segments.Count is 0 or > ushort.MaxValue)
            throw new ArgumentException($"A Segmentation holds 1 to 65535 segments; {segments.Count} were given.", nameof(segments));
        if (masks.Any(m => m is null || m.LongLength != v.VoxelCount))
            throw new ArgumentException($"Every mask must hold the series grid's {v.VoxelCount} values.", nameof(masks));
        return Build(new MaskVoxels(masks, v.SizeX, v.SizeY, v.SizeZ), source, segments, options, form, cancellationToken);
    }

    private static ImageVolume Check(LoadedSeries source)
    {
        ArgumentNullException.ThrowIfNull(source);
        var v = source.Volume;
        if (source.Slices.Count != v.SizeZ)
            throw new ArgumentException($"The series lists {source.Slices.Count} slices but its volume has {v.SizeZ}.", nameof(source));
        if (v.SizeX > ushort.MaxValue || v.SizeY > ushort.MaxValue)
            throw new ArgumentException($"A {v.SizeX}x{v.SizeY} image is larger than Rows and Columns can say.", nameof(source));
        return v;
    }

    private static Segmentation Build(SegVoxels voxels, LoadedSeries source, IReadOnlyList<SegSegment> segments, SegWriteOptions options,
        SegForm form, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!Enum.IsDefined(form)) throw new ArgumentOutOfRangeException(nameof(form), form, "Unknown Segmentation form.");
        SegValidation.Check(segments, options);
        var volume = source.Volume;
        int width = volume.SizeX, height = volume.SizeY, depth = volume.SizeZ, sliceLength = width * height;

        var presence = voxels.Presence(cancellationToken);
        var written = Enumerable.Range(0, segments.Count).Where(s => presence[s].Any(p => p)).ToArray();
        var labelMap = form == SegForm.LabelMap;
        // BINARY numbers the written segments 1, 2, …; the label map keeps the label value as number (the pixel value).
        var numbers = labelMap ? written.Select(s => s + 1).ToArray() : Enumerable.Range(1, written.Length).ToArray();

        var now = options.Now ?? DateTime.Now;
        var sopInstanceUid = UidGenerator.NewUid();
        var seriesInstanceUid = UidGenerator.NewUid();
        var dimensionOrganizationUid = UidGenerator.NewUid();
        var ds = new DicomDatasetBuilder();

        // SOP Common.
        ds.Add(DicomTags.SOPClassUID, DicomVR.UI, labelMap ? LabelMapSegmentationStorage : SegmentationStorage)
            .Add(DicomTags.SOPInstanceUID, DicomVR.UI, sopInstanceUid)
            .Add(SegTags.InstanceCreationDate, DicomVR.DA, Date(now))
            .Add(SegTags.InstanceCreationTime, DicomVR.TM, Time(now));

        // Patient and General Study: copied byte for byte from the source, the study's UID echoed.
        SegCommon.CopyPatientAndStudy(ds, source);

        // General Series, Segmentation Series, General Equipment and Enhanced General Equipment.
        ds.Add(DicomTags.Modality, DicomVR.CS, "SEG")
            .Add(DicomTags.SeriesInstanceUID, DicomVR.UI, seriesInstanceUid)
            .Add(DicomTags.SeriesNumber, DicomVR.IS, options.SeriesNumber.ToString(CultureInfo.InvariantCulture))
            .Add(DicomTags.SeriesDate, DicomVR.DA, Date(now))
            .Add(DicomTags.SeriesTime, DicomVR.TM, Time(now))
            .Add(DicomTags.Manufacturer, DicomVR.LO, options.Manufacturer)
            .Add(SegTags.ManufacturerModelName, DicomVR.LO, options.ManufacturerModelName)
            .Add(SegTags.DeviceSerialNumber, DicomVR.LO, options.DeviceSerialNumber)
            .Add(DicomTags.SoftwareVersions, DicomVR.LO, options.SoftwareVersions);
        if (options.SeriesDescription.Length > 0) ds.Add(DicomTags.SeriesDescription, DicomVR.LO, options.SeriesDescription);
        // Series Laterality (Type 2C) is required only for a paired body part without Image Laterality. Validators cannot
        // tell a paired part from the series: dciodvfy refuses it present (even empty) on a thorax, pixelmed wants it
        // unless Image Laterality is given. Image Laterality (General Image, Type 3) says it instead: U (unpaired) for the
        // whole-region CT this service segments, unless the caller says otherwise.
        if (options.ImageLaterality.Length > 0) ds.Add(SegTags.ImageLaterality, DicomVR.CS, options.ImageLaterality);

        // Frame of Reference: the source's.
        SegCommon.AddFrameOfReference(ds, source);

        // General Image, Multi-frame Functional Groups and Segmentation Image.
        ds.Add(DicomTags.InstanceNumber, DicomVR.IS, options.InstanceNumber.ToString(CultureInfo.InvariantCulture))
            .Add(SegTags.ContentDate, DicomVR.DA, Date(now))
            .Add(SegTags.ContentTime, DicomVR.TM, Time(now))
            .Add(DicomTags.ImageType, DicomVR.CS, "DERIVED", "PRIMARY")
            .Add(SegTags.ContentLabel, DicomVR.CS, options.ContentLabel)
            .Add(SegTags.ContentDescription, DicomVR.LO, options.ContentDescription)
            .Add(SegTags.ContentCreatorName, DicomVR.PN, options.ContentCreatorName)
            .Add(SegTags.LossyImageCompression, DicomVR.CS, volume.Lossy ? "01" : "00")
            .Add(SegTags.SegmentationType, DicomVR.CS, labelMap ? "LABELMAP" : "BINARY")
            .Add(SegTags.SegmentsOverlap, DicomVR.CS, !labelMap && voxels.Overlap ? "YES" : "NO");

        var segmentItems = new List<DicomDatasetBuilder>(written.Length + 1);
        if (labelMap) segmentItems.Add(SegCommon.BackgroundItem(options));
        for (var i = 0; i < written.Length; i++) segmentItems.Add(SegCommon.SegmentItem(numbers[i], segments[written[i]], options));
        ds.AddSequence(SegTags.SegmentSequence, segmentItems);

        // Common Instance Reference: the source series and every one of its images, once each (a multi-frame image holds many slices).
        ds.AddSequence(SegTags.ReferencedSeriesSequence, new DicomDatasetBuilder()
            .Add(DicomTags.SeriesInstanceUID, DicomVR.UI, source.SeriesInstanceUid)
            .AddSequence(SegTags.ReferencedInstanceSequence, source.Slices.DistinctBy(s => s.SopInstanceUid).Select(s => new DicomDatasetBuilder()
                .Add(DicomTags.ReferencedSOPClassUID, DicomVR.UI, s.SopClassUid)
                .Add(DicomTags.ReferencedSOPInstanceUID, DicomVR.UI, s.SopInstanceUid))));

        // Multi-frame Dimensions.
        ds.AddSequence(SegTags.DimensionOrganizationSequence, new DicomDatasetBuilder()
            .Add(SegTags.DimensionOrganizationUID, DicomVR.UI, dimensionOrganizationUid));
        var dimensions = new List<DicomDatasetBuilder>();
        if (!labelMap) dimensions.Add(Dimension(SegTags.ReferencedSegmentNumber, SegTags.SegmentIdentificationSequence, dimensionOrganizationUid,
            "ReferencedSegmentNumber"));
        dimensions.Add(Dimension(DicomTags.ImagePositionPatient, SegTags.PlanePositionSequence, dimensionOrganizationUid, "ImagePositionPatient"));
        ds.AddSequence(SegTags.DimensionIndexSequence, dimensions);

        // Shared functional groups: orientation and pixel measures.
        var d = volume.Direction;
        var spacing = volume.Spacing;
        // The distance between slice planes, along the normal: the step itself for a straight stack, less for a tilted one.
        var planeSpacing = spacing[2] * Math.Cos(volume.TiltDegrees * Math.PI / 180);
        ds.AddSequence(SegTags.SharedFunctionalGroupsSequence, new DicomDatasetBuilder()
            .AddSequence(SegTags.PlaneOrientationSequence, new DicomDatasetBuilder()
                .Add(DicomTags.ImageOrientationPatient, DicomVR.DS, PreciseDecimal.Join(d.Take(6))))
            .AddSequence(SegTags.PixelMeasuresSequence, new DicomDatasetBuilder()
                .Add(DicomTags.PixelSpacing, DicomVR.DS, PreciseDecimal.Join([spacing[1], spacing[0]]))
                .Add(DicomTags.SliceThickness, DicomVR.DS, PreciseDecimal.Format(planeSpacing))
                .Add(SegTags.SpacingBetweenSlices, DicomVR.DS, PreciseDecimal.Format(planeSpacing))));

        // Per-frame functional groups: the parts that depend only on the slice are built once per slice.
        var derivations = source.Slices.Select(SegCommon.DerivationItem).ToArray();
        var positions = source.Slices.Select(s => new DicomDatasetBuilder()
            .Add(DicomTags.ImagePositionPatient, DicomVR.DS, PreciseDecimal.Join(s.Position))).ToArray();
        var frames = new List<DicomDatasetBuilder>();
        byte[] pixels;
        ushort bits;
        if (labelMap)
        {
            var wide = numbers.Length > 0 && numbers[^1] > byte.MaxValue;
            bits = wide ? (ushort)16 : (ushort)8;
            pixels = voxels.LabelMap(wide, cancellationToken);
            for (var z = 0; z < depth; z++)
                frames.Add(Frame(derivations[z], positions[z], null, (uint)(z + 1)));
            ds.AddUInt16(SegTags.PixelPaddingValue, 0);
        }
        else
        {
            bits = 1;
            var list = new List<(int Segment, int Z, int Number)>();
            for (var i = 0; i < written.Length; i++)
            {
                for (var z = 0; z < depth; z++)
                    if (presence[written[i]][z]) list.Add((written[i], z, numbers[i]));
            }

            var totalBits = (long)list.Count * sliceLength;
            var byteLength = (totalBits + 7) / 8;
            pixels = new byte[byteLength + (byteLength & 1)];
            var options2 = new ParallelOptions { CancellationToken = cancellationToken };
            if (sliceLength % 8 == 0)
                Parallel.For(0, list.Count, options2, f => voxels.Pack(list[f].Segment, list[f].Z, pixels, (long)f * sliceLength));
            else
                for (var f = 0; f < list.Count; f++) voxels.Pack(list[f].Segment, list[f].Z, pixels, (long)f * sliceLength);
            foreach (var (_, z, number) in list)
                frames.Add(Frame(derivations[z], positions[z], (ushort)number, (uint)(z + 1)));
        }
        ds.AddSequence(SegTags.PerFrameFunctionalGroupsSequence, frames);

        // Image Pixel.
        ds.AddUInt16(DicomTags.SamplesPerPixel, 1)
            .Add(DicomTags.PhotometricInterpretation, DicomVR.CS, "MONOCHROME2")
            .AddUInt16(DicomTags.Rows, (ushort)height)
            .AddUInt16(DicomTags.Columns, (ushort)width)
            .AddUInt16(DicomTags.BitsAllocated, bits)
            .AddUInt16(DicomTags.BitsStored, bits)
            .AddUInt16(DicomTags.HighBit, (ushort)(bits - 1))
            .AddUInt16(DicomTags.PixelRepresentation, 0)
            .Add(SegTags.NumberOfFrames, DicomVR.IS, frames.Count.ToString(CultureInfo.InvariantCulture));
        if (labelMap)
        {
            // The label map is RLE Lossless, one fragment a frame: 8 bits on every voxel of every slice compress to the runs
            // of each label, so that it is the small form.
            var frameBytes = sliceLength * (bits / 8);
            var fragments = new ReadOnlyMemory<byte>[depth];
            Parallel.For(0, depth, new ParallelOptions { CancellationToken = cancellationToken }, z =>
                fragments[z] = RleFrameEncoder.Encode(pixels.AsSpan(z * frameBytes, frameBytes), height, width, bits));
            ds.AddEncapsulated(DicomTags.PixelData, fragments);
        }
        else
        {
            ds.AddBytes(DicomTags.PixelData, DicomVR.OB, pixels);
        }

        return new Segmentation(ds, sopInstanceUid, seriesInstanceUid, form, frames.Count, numbers, written);
    }

    private static DicomDatasetBuilder Frame(DicomDatasetBuilder derivation, DicomDatasetBuilder position, ushort? segmentNumber, uint positionIndex)
    {
        var item = new DicomDatasetBuilder()
            .AddSequence(SegTags.DerivationImageSequence, derivation)
            .AddSequence(SegTags.PlanePositionSequence, position);
        var content = new DicomDatasetBuilder();
        if (segmentNumber is { } n)
        {
            content.AddUInt32(SegTags.DimensionIndexValues, n, positionIndex);
            item.AddSequence(SegTags.SegmentIdentificationSequence, new DicomDatasetBuilder().AddUInt16(SegTags.ReferencedSegmentNumber, n));
        }
        else
        {
            content.AddUInt32(SegTags.DimensionIndexValues, positionIndex);
        }

        return item.AddSequence(SegTags.FrameContentSequence, content);
    }

    private static DicomDatasetBuilder Dimension(DicomTag index, DicomTag group, string organizationUid, string label) => new DicomDatasetBuilder()
        .AddBytes(SegTags.DimensionIndexPointer, DicomVR.AT, Tag(index))
        .AddBytes(SegTags.FunctionalGroupPointer, DicomVR.AT, Tag(group))
        .Add(SegTags.DimensionOrganizationUID, DicomVR.UI, organizationUid)
        .Add(SegTags.DimensionDescriptionLabel, DicomVR.LO, label);

    private static byte[] Tag(DicomTag tag)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteUInt16LittleEndian(bytes, tag.Group);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(2), tag.Element);
        return bytes;
    }

    internal static string Date(DateTime t) => t.ToString("yyyyMMdd", CultureInfo.InvariantCulture);

    internal static string Time(DateTime t) => t.ToString("HHmmss", CultureInfo.InvariantCulture);

    internal static SegCode SourceImage => SourceImagePurpose;

    internal static SegCode Derivation => SegmentationDerivation;
}
