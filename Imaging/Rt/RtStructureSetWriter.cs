using System.Buffers;
using System.Globalization;
using InnerEye.Imaging.Contours;
using InnerEye.Imaging.Dicom;
using InnerEye.Imaging.Series;

namespace InnerEye.Imaging.Rt;

/// <summary>
/// Turns a label volume on a source series' grid into an RT Structure Set (PS3.3 A.19) the way InnerEye's RTConvert
/// writes it, so that the InnerEye gateway can de-anonymise and forward it: RTConvert's top-level attributes, the
/// source's UIDs echoed unchanged, ROINumber 1..N, ObservationNumber 0..N−1, ContourData in "F3" decimals. The
/// additions are the Frame of Reference module (FrameOfReferenceUID, PositionReferenceIndicator), which the current IOD
/// requires and which the source images carry themselves, and InstanceNumber, which every CT and MR image has (Type 2
/// in the General Image module); no top-level attribute is one that neither RTConvert nor the source images write.
/// Values RTConvert leaves empty are filled: SeriesNumber (<see cref="RtWriteOptions.DefaultSeriesNumber"/>),
/// StructureSetLabel (the model id, first 16 characters), StructureSetName (the model's display name), a person-name
/// ROIInterpreter, and in each ROI a ROIGenerationDescription naming the model and its version.
/// </summary>
/// <remarks>
/// <para>
/// Each slice is traced per label with <see cref="ContourTracer"/> (slices in parallel). Polygons run along pixel
/// edges: vertex (x, y) in pixel coordinates, a half-integer, maps to patient coordinates as
/// IPP_k + x·Δcol·row + y·Δrow·column with the slice's own ImagePositionPatient and the full row and column direction
/// cosines, so contours lie exactly in the plane of the image they reference, for any orientation.
/// </para>
/// <para>
/// Each region is one CLOSED_PLANAR contour: its outer boundary, with (unless the structure fills holes) each hole
/// joined in through a zero-width channel, as RTConvert writes them. An island inside a hole is a contour of its own.
/// Readers that combine a slice's contours by union (plastimatch) and by even-odd parity recover the same exact mask.
/// </para>
/// </remarks>
public static class RtStructureSetWriter
{
    public const string RtStructureSetStorage = "1.2.840.10008.5.1.4.1.1.481.3";

    /// <summary>The ReferencedSOPClassUID RTConvert (and most planning systems) give the referenced study (retired, PS3.4).</summary>
    public const string ReferencedStudySopClassUid = "1.2.840.10008.3.1.2.3.1";

    /// <summary>Builds the structure set and writes it as a Part 10 file to <paramref name="output"/>.</summary>
    public static RtStructureSet Write(Stream output, byte[] labels, LoadedSeries source, IReadOnlyList<RtStructure> structures,
        RtWriteOptions options, CancellationToken cancellationToken = default)
    {
        var set = Build(labels, source, structures, options, cancellationToken);
        set.WriteTo(output);
        return set;
    }

    /// <summary>
    /// Builds the structure set for <paramref name="labels"/>: SizeX·SizeY·SizeZ bytes on the source grid, x fastest,
    /// slices in the order of <see cref="LoadedSeries.Slices"/>; value i marks structure i − 1, zero is background.
    /// </summary>
    public static RtStructureSet Build(byte[] labels, LoadedSeries source, IReadOnlyList<RtStructure> structures,
        RtWriteOptions options, CancellationToken cancellationToken = default) =>
        Build(labels, null, source, structures, options, cancellationToken);

    /// <summary>
    /// Builds the structure set for one mask per structure (SizeX·SizeY·SizeZ values on the source grid, x fastest), which
    /// may overlap: a voxel in two masks is inside both ROIs, as regions (nested or overlapping structures) are.
    /// </summary>
    public static RtStructureSet Build(IReadOnlyList<bool[]> masks, LoadedSeries source, IReadOnlyList<RtStructure> structures,
        RtWriteOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(masks);
        ArgumentNullException.ThrowIfNull(source);
        if (masks.Count != structures.Count)
            throw new ArgumentException($"{masks.Count} masks were given for {structures.Count} structures.", nameof(masks));
        return Build(null, masks, source, structures, options, cancellationToken);
    }

    private static RtStructureSet Build(byte[]? labels, IReadOnlyList<bool[]>? masks, LoadedSeries source, IReadOnlyList<RtStructure> structures,
        RtWriteOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(structures);
        ArgumentNullException.ThrowIfNull(options);
        var volume = source.Volume;
        int width = volume.SizeX, height = volume.SizeY, depth = volume.SizeZ, sliceLength = width * height;
        if (source.Slices.Count != depth)
            throw new ArgumentException($"The series lists {source.Slices.Count} slices but its volume has {depth}.", nameof(source));
        if (labels is not null && labels.LongLength != (long)sliceLength * depth)
            throw new ArgumentException(
                $"The label volume holds {labels.LongLength} values; the series grid {width}x{height}x{depth} needs {(long)sliceLength * depth}.",
                nameof(labels));
        if (masks is not null && masks.Any(m => m.LongLength != (long)sliceLength * depth))
            throw new ArgumentException($"Every mask must hold the series grid's {(long)sliceLength * depth} values.", nameof(masks));
        if (structures.Count is 0 or > byte.MaxValue)
            throw new ArgumentException($"An RT Structure Set needs 1 to 255 structures; {structures.Count} were given.", nameof(structures));
        Validate(structures, options);

        var contours = labels is not null
            ? TraceAndEncode(labels, source, structures, cancellationToken)
            : TraceAndEncodeMasks(masks!, source, structures, cancellationToken);

        var now = options.Now ?? DateTime.Now;
        var sopInstanceUid = UidGenerator.NewUid();
        var seriesInstanceUid = UidGenerator.NewUid();
        var frameOfReference = source.FrameOfReferenceUid;
        // Image SOP Instance Reference macro: a slice that is a frame of a multi-frame image names its frame (PS3.3 C.8.8.6).
        var sliceItems = source.Slices.Select(s =>
        {
            var item = new DicomDatasetBuilder()
                .Add(DicomTags.ReferencedSOPClassUID, DicomVR.UI, s.SopClassUid)
                .Add(DicomTags.ReferencedSOPInstanceUID, DicomVR.UI, s.SopInstanceUid);
            if (s.FrameNumber is { } frame) item.Add(DicomTags.ReferencedFrameNumber, DicomVR.IS,
                frame.ToString(System.Globalization.CultureInfo.InvariantCulture));
            return item;
        }).ToArray();

        var ds = new DicomDatasetBuilder();
        ds.Add(DicomTags.SOPClassUID, DicomVR.UI, RtStructureSetStorage)
            .Add(DicomTags.SOPInstanceUID, DicomVR.UI, sopInstanceUid);

        // Patient and General Study modules: copied byte for byte from the first slice. Type 2 attributes the source
        // lacks are written empty; Type 3 ones (StudyDescription, and SpecificCharacterSet) only when it has them.
        PatientStudyCopy.AddTo(ds, source);

        // Frame of Reference module. RTConvert leaves it out, but the current RT Structure Set IOD requires it when
        // ROIs are defined in a frame of reference (validators report its absence as an error). Both attributes are
        // in the source images' own Frame of Reference module: the UID is echoed, the indicator copied (or empty).
        ds.Add(DicomTags.FrameOfReferenceUID, DicomVR.UI, frameOfReference);
        if (source.PatientAndStudy.FirstOrDefault(c => c.Tag == DicomTags.PositionReferenceIndicator) is { } indicator)
            ds.AddBytes(DicomTags.PositionReferenceIndicator, indicator.VR, indicator.Value);
        else ds.Add(DicomTags.PositionReferenceIndicator, DicomVR.LO, "");

        // RT Series and General Equipment modules.
        ds.Add(DicomTags.Modality, DicomVR.CS, "RTSTRUCT")
            .Add(DicomTags.SeriesInstanceUID, DicomVR.UI, seriesInstanceUid)
            .Add(DicomTags.SeriesNumber, DicomVR.IS, options.SeriesNumber.ToString(CultureInfo.InvariantCulture))
            .Add(DicomTags.SeriesDescription, DicomVR.LO, options.SeriesDescription ?? "")
            .Add(DicomTags.OperatorsName, DicomVR.PN, "")
            .Add(DicomTags.SeriesDate, DicomVR.DA, Date(now))
            .Add(DicomTags.SeriesTime, DicomVR.TM, Time(now))
            .Add(DicomTags.Manufacturer, DicomVR.LO, options.Manufacturer ?? "")
            .Add(DicomTags.SoftwareVersions, DicomVR.LO, options.SoftwareVersions ?? "");

        // Structure Set module.
        ds.Add(DicomTags.InstanceNumber, DicomVR.IS, RtWriteOptions.InstanceNumber.ToString(CultureInfo.InvariantCulture))
            .Add(DicomTags.StructureSetLabel, DicomVR.SH, Label(options))
            .Add(DicomTags.StructureSetName, DicomVR.LO, Cut(options.StructureSetName, 64))
            .Add(DicomTags.StructureSetDescription, DicomVR.ST, "")
            .Add(DicomTags.StructureSetDate, DicomVR.DA, Date(now))
            .Add(DicomTags.StructureSetTime, DicomVR.TM, Time(now));

        var series = new DicomDatasetBuilder()
            .Add(DicomTags.SeriesInstanceUID, DicomVR.UI, source.SeriesInstanceUid)
            .AddSequence(DicomTags.ContourImageSequence, sliceItems);
        var study = new DicomDatasetBuilder()
            .Add(DicomTags.ReferencedSOPClassUID, DicomVR.UI, ReferencedStudySopClassUid)
            .Add(DicomTags.ReferencedSOPInstanceUID, DicomVR.UI, source.StudyInstanceUid)
            .AddSequence(DicomTags.RTReferencedSeriesSequence, series);
        ds.AddSequence(DicomTags.ReferencedFrameOfReferenceSequence, new DicomDatasetBuilder()
            .Add(DicomTags.FrameOfReferenceUID, DicomVR.UI, frameOfReference)
            .AddSequence(DicomTags.RTReferencedStudySequence, study));

        var roiItems = new List<DicomDatasetBuilder>(structures.Count);
        var contourItems = new List<DicomDatasetBuilder>(structures.Count);
        var observationItems = new List<DicomDatasetBuilder>(structures.Count);
        var counts = new int[structures.Count];
        var interpreter = InterpreterName(options.Interpreter);
        var generation = Cut(options.RoiGenerationDescription, 64);
        for (var s = 0; s < structures.Count; s++)
        {
            var structure = structures[s];
            var roiNumber = (s + 1).ToString(CultureInfo.InvariantCulture);
            var roi = new DicomDatasetBuilder()
                .Add(DicomTags.ROINumber, DicomVR.IS, roiNumber)
                .Add(DicomTags.ReferencedFrameOfReferenceUID, DicomVR.UI, frameOfReference)
                .Add(DicomTags.ROIName, DicomVR.LO, structure.Name)
                .Add(DicomTags.ROIGenerationAlgorithm, DicomVR.CS, options.RoiGenerationAlgorithm ?? "");
            if (generation.Length > 0) roi.Add(DicomTags.ROIGenerationDescription, DicomVR.LO, generation);
            roiItems.Add(roi);

            var roiContour = new DicomDatasetBuilder()
                .Add(DicomTags.ROIDisplayColor, DicomVR.IS, string.Create(CultureInfo.InvariantCulture,
                    $"{structure.R}\\{structure.G}\\{structure.B}"))
                .Add(DicomTags.ReferencedROINumber, DicomVR.IS, roiNumber);
            var items = new List<DicomDatasetBuilder>();
            for (var z = 0; z < depth; z++)
            {
                if (contours[z]?[s] is not { } list) continue;
                foreach (var contour in list)
                {
                    items.Add(new DicomDatasetBuilder()
                        .AddSequence(DicomTags.ContourImageSequence, sliceItems[z])
                        .Add(DicomTags.ContourGeometricType, DicomVR.CS, "CLOSED_PLANAR")
                        .Add(DicomTags.NumberOfContourPoints, DicomVR.IS, contour.Points.ToString(CultureInfo.InvariantCulture))
                        .Add(DicomTags.ContourNumber, DicomVR.IS, (items.Count + 1).ToString(CultureInfo.InvariantCulture))
                        .AddBytes(DicomTags.ContourData, DicomVR.DS, contour.Data));
                }
            }
            counts[s] = items.Count;
            if (items.Count > 0) roiContour.AddSequence(DicomTags.ContourSequence, items);
            contourItems.Add(roiContour);

            observationItems.Add(new DicomDatasetBuilder()
                .Add(DicomTags.ObservationNumber, DicomVR.IS, s.ToString(CultureInfo.InvariantCulture))
                .Add(DicomTags.ReferencedROINumber, DicomVR.IS, roiNumber)
                .Add(DicomTags.RTROIInterpretedType, DicomVR.CS, InterpretedType(structure))
                .Add(DicomTags.ROIInterpreter, DicomVR.PN, interpreter));
        }
        ds.AddSequence(DicomTags.StructureSetROISequence, roiItems)
            .AddSequence(DicomTags.ROIContourSequence, contourItems)
            .AddSequence(DicomTags.RTROIObservationsSequence, observationItems);
        return new RtStructureSet(ds, sopInstanceUid, seriesInstanceUid, counts);
    }

    /// <summary>One contour's encoded ContourData and its point count.</summary>
    private readonly record struct EncodedContour(int Points, byte[] Data);

    /// <summary>Per slice (null when it has no labels), per structure: the encoded contours in tracing order.</summary>
    private static List<EncodedContour>?[]?[] TraceAndEncode(byte[] labels, LoadedSeries source, IReadOnlyList<RtStructure> structures,
        CancellationToken cancellationToken)
    {
        var volume = source.Volume;
        int width = volume.SizeX, height = volume.SizeY, sliceLength = width * height, count = structures.Count;
        var fill = structures.Select(s => s.FillHoles).ToArray();
        bool allFill = fill.All(f => f), noneFill = !fill.Any(f => f);
        var d = volume.Direction;
        double sx = volume.Spacing[0], sy = volume.Spacing[1];
        // Patient offset per pixel step along x (row direction) and y (column direction).
        double[] stepX = [d[0] * sx, d[1] * sx, d[2] * sx], stepY = [d[3] * sy, d[4] * sy, d[5] * sy];

        var bad = labels.AsSpan().IndexOfAnyExceptInRange((byte)0, (byte)count);
        if (bad >= 0)
            throw new ArgumentException(
                $"Label {labels[bad]} at voxel ({bad % width}, {bad / width % height}, {bad / sliceLength}) has no structure; {count} " +
                "structures were given.", nameof(labels));

        var result = new List<EncodedContour>?[]?[volume.SizeZ];
        var options = new ParallelOptions { CancellationToken = cancellationToken };
        Parallel.For(0, volume.SizeZ, options, z =>
        {
            var slice = labels.AsSpan(z * sliceLength, sliceLength);
            if (slice.IndexOfAnyExcept((byte)0) < 0) return;
            IReadOnlyList<Contour2D>[]? plain = noneFill || !allFill ? ContourTracer.TraceAll(slice, width, height, count, fillHoles: false) : null;
            IReadOnlyList<Contour2D>[]? filled = allFill ? ContourTracer.TraceAll(slice, width, height, count, fillHoles: true) : null;
            var position = source.Slices[z].Position;
            var perStructure = new List<EncodedContour>?[count];
            for (var s = 0; s < count; s++)
            {
                var polygons = fill[s]
                    ? filled?[s + 1] ?? ContourTracer.Trace(slice, width, height, (byte)(s + 1), fillHoles: true)
                    : HoleSplicer.Splice(plain![s + 1]);
                if (polygons.Count == 0) continue;
                var list = new List<EncodedContour>(polygons.Count);
                foreach (var polygon in polygons) list.Add(Encode(polygon, position, stepX, stepY));
                perStructure[s] = list;
            }
            result[z] = perStructure;
        });
        return result;
    }

    /// <summary>Per slice, per structure: each structure's own mask traced alone, so that overlapping ROIs keep their overlap.</summary>
    private static List<EncodedContour>?[]?[] TraceAndEncodeMasks(IReadOnlyList<bool[]> masks, LoadedSeries source,
        IReadOnlyList<RtStructure> structures,
        CancellationToken cancellationToken)
    {
        var volume = source.Volume;
        int width = volume.SizeX, height = volume.SizeY, sliceLength = width * height;
        var d = volume.Direction;
        double sx = volume.Spacing[0], sy = volume.Spacing[1];
        double[] stepX = [d[0] * sx, d[1] * sx, d[2] * sx], stepY = [d[3] * sy, d[4] * sy, d[5] * sy];
        var result = new List<EncodedContour>?[]?[volume.SizeZ];
        Parallel.For(0, volume.SizeZ, new ParallelOptions { CancellationToken = cancellationToken }, z =>
        {
            var position = source.Slices[z].Position;
            var slice = new byte[sliceLength];
            List<EncodedContour>?[]? perStructure = null;
            for (var s = 0; s < structures.Count; s++)
            {
                var mask = masks[s].AsSpan(z * sliceLength, sliceLength);
                if (mask.IndexOf(true) < 0) continue;
                for (var i = 0; i < sliceLength; i++) slice[i] = mask[i] ? (byte)1 : (byte)0;
                var polygons = structures[s].FillHoles
                    ? ContourTracer.Trace(slice, width, height, 1, fillHoles: true)
                    : HoleSplicer.Splice(ContourTracer.TraceAll(slice, width, height, 1, fillHoles: false)[1]);
                if (polygons.Count == 0) continue;
                var list = new List<EncodedContour>(polygons.Count);
                foreach (var polygon in polygons) list.Add(Encode(polygon, position, stepX, stepY));
                perStructure ??= new List<EncodedContour>?[structures.Count];
                perStructure[s] = list;
            }
            result[z] = perStructure;
        });
        return result;
    }

    /// <summary>
    /// ContourData of one polygon: x\y\z per vertex in patient coordinates, each value a ≤16-character DS. Collinear
    /// vertices are dropped first (the curve, and every rasterisation of it, stays the same).
    /// </summary>
    private static EncodedContour Encode(Contour2D polygon, double[] position, double[] stepX, double[] stepY)
    {
        polygon = polygon.WithoutCollinearVertices();
        var n = polygon.VertexCount;
        var buffer = ArrayPool<byte>.Shared.Rent(n * 3 * (DecimalString.MaxLength + 1) + 32);
        try
        {
            var span = buffer.AsSpan();
            var at = 0;
            for (var k = 0; k < n; k++)
            {
                double x = polygon.X(k), y = polygon.Y(k);
                for (var axis = 0; axis < 3; axis++)
                {
                    if (at > 0) span[at++] = (byte)'\\';
                    at += DecimalString.Format(position[axis] + x * stepX[axis] + y * stepY[axis], span[at..]);
                }
            }
            return new EncodedContour(n, span[..at].ToArray());
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// StructureSetLabel (SH, at most 16 characters): the first 16 characters of the given label with trailing spaces
    /// dropped ("PassThroughModel:1729" → "PassThroughModel"); <see cref="RtWriteOptions.DefaultLabel"/> when that is empty.
    /// </summary>
    internal static string Label(RtWriteOptions options)
    {
        var label = Cut(options.StructureSetLabel, 16);
        return label.Length == 0 ? RtWriteOptions.DefaultLabel : label;
    }

    /// <summary>The first <paramref name="max"/> characters, surrounding spaces dropped ("" for null).</summary>
    private static string Cut(string? value, int max)
    {
        value = (value ?? "").Trim();
        return value.Length <= max ? value : value[..max].TrimEnd();
    }

    /// <summary>
    /// ROIInterpreter as a person name (PN): a configured value that already has PN structure (a '^' or '=' in it, as
    /// in "Doe^Jane") is written as given; a plain value names software or a team, not a person, and is written as the
    /// given-name component with an empty family name and underscores read as spaces: "InnerEye" → "^InnerEye",
    /// "Default_Interpreter" → "^Default Interpreter". An empty value stays empty (the attribute is Type 2).
    /// </summary>
    public static string InterpreterName(string? configured)
    {
        var value = (configured ?? "").Trim();
        if (value.Length == 0) return "";
        if (value.Contains('^') || value.Contains('=')) return value;
        return "^" + string.Join(' ', value.Replace('_', ' ').Split(' ', StringSplitOptions.RemoveEmptyEntries));
    }

    private static string InterpretedType(RtStructure s) =>
        string.IsNullOrWhiteSpace(s.InterpretedType) || s.InterpretedType == "None" ? "" : s.InterpretedType;

    private static string Date(DateTime t) => t.ToString("yyyyMMdd", CultureInfo.InvariantCulture);

    private static string Time(DateTime t) => t.ToString("HHmmss", CultureInfo.InvariantCulture);

    /// <summary>Refuses values that would make an invalid file: too long for their VR, or holding a backslash or control character.</summary>
    private static void Validate(IReadOnlyList<RtStructure> structures, RtWriteOptions options)
    {
        static void Check(string? value, int max, string what, bool codeString = false)
        {
            value ??= "";
            if (value.Length > max) throw new ArgumentException($"{what} '{value}' is longer than {max} characters.");
            foreach (var c in value)
            {
                var bad = c == '\\' || char.IsControl(c) || c > 0xFF
                    || codeString && !(c is >= 'A' and <= 'Z' or >= '0' and <= '9' or ' ' or '_');
                if (bad) throw new ArgumentException($"{what} '{value}' holds the character '{c}', which it may not hold.");
            }
        }
        Check(options.Manufacturer, 64, "Manufacturer");
        var interpreter = InterpreterName(options.Interpreter);
        Check(interpreter, 3 * 65 - 1, "ROIInterpreter");
        var groups = interpreter.Split('=');
        if (groups.Length > 3 || groups.Any(g => g.Length > 64 || g.Count(c => c == '^') > 4))
            throw new ArgumentException(
                $"ROIInterpreter '{interpreter}' is not a person name: at most 3 groups of at most 5 components and 64 characters each.");
        Check(options.SoftwareVersions, 64, "SoftwareVersions (the model id)");
        Check(Label(options), 16, "StructureSetLabel");
        Check(Cut(options.StructureSetName, 64), 64, "StructureSetName");
        Check(Cut(options.RoiGenerationDescription, 64), 64, "ROIGenerationDescription");
        Check(options.SeriesDescription, 64, "SeriesDescription");
        Check(options.RoiGenerationAlgorithm, 16, "ROIGenerationAlgorithm", codeString: true);
        foreach (var s in structures)
        {
            ArgumentNullException.ThrowIfNull(s);
            Check(s.Name, 64, "ROIName");
            Check(InterpretedType(s), 16, "RTROIInterpretedType", codeString: true);
        }
    }
}
