using System.Buffers;
using InnerEye.Imaging.Dicom;
using InnerEye.Imaging.Pixels;

namespace InnerEye.Imaging.Series;

/// <summary>
/// Loads an upload into one HU volume per channel. Files are read, parsed and decoded in parallel where they are read
/// (each slice straight to HU), then grouped by channel and series, sorted along the slice normal and validated.
/// </summary>
public static class VolumeLoader
{
    public static SeriesLoadResult Load(string path, SeriesLoadOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= SeriesLoadOptions.Default;
        return Load(SeriesSources.Open(path, options), options, cancellationToken);
    }

    public static SeriesLoadResult Load(ISeriesSource source, SeriesLoadOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= SeriesLoadOptions.Default;
        var problems = new List<VolumeProblem>();
        var entries = source.Entries;
        if (entries.Count == 0)
        {
            problems.Add(new VolumeProblem("", "NoImages", "The upload holds no files."));
            return new SeriesLoadResult([], problems);
        }

        var slices = new ParsedSlice?[entries.Count];
        var entryProblems = new VolumeProblem?[entries.Count];
        var workers = Math.Clamp(options.MaxDegreeOfParallelism, 1, entries.Count);
        try
        {
            Parallel.For(0, workers, new ParallelOptions { MaxDegreeOfParallelism = workers, CancellationToken = cancellationToken }, w =>
            {
                var start = (int)((long)entries.Count * w / workers);
                var end = (int)((long)entries.Count * (w + 1) / workers);
                source.Read(start, end, (i, bytes, length) =>
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    (slices[i], entryProblems[i]) = ReadSlice(entries[i], bytes, length);
                });
            });
        }
        catch (AggregateException e) when (e.Flatten().InnerExceptions.FirstOrDefault(x => x is ImagingException or OperationCanceledException) is { } first)
        {
            // A worker's own error, not the wrapper Parallel.For puts around it: callers classify failures by type.
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(first);
        }
        problems.AddRange(Summarise(entryProblems.OfType<VolumeProblem>()));

        var loaded = new List<LoadedSeries>();
        var anyImages = slices.Any(s => s is not null);
        foreach (var channel in entries.Select(e => e.Channel).Distinct().Order(StringComparer.Ordinal))
        {
            var images = slices.Where(s => s is not null && s.Entry.Channel == channel).Cast<ParsedSlice>().ToList();
            if (entryProblems.Any(p => p is { Severity: ProblemSeverity.Error } && p.Channel == channel)) continue;
            if (images.Count == 0 && anyImages)
            {
                // Files beside the image channels (a label map, a report) are skipped, not an error.
                problems.Add(new VolumeProblem(channel, "NoImages", $"{Describe(channel)} holds no DICOM images and was ignored.", ProblemSeverity.Warning));
                continue;
            }
            var series = BuildChannel(channel, images, options, problems);
            if (series is not null) loaded.Add(series);
        }
        return new SeriesLoadResult(loaded, problems);
    }

    /// <summary>The same problem in many files is reported once, with the first file's message and a count.</summary>
    private static IEnumerable<VolumeProblem> Summarise(IEnumerable<VolumeProblem> problems) =>
        problems.GroupBy(p => (p.Channel, p.Code, p.Severity)).Select(g =>
        {
            var count = g.Count();
            return count == 1 ? g.First() : g.First() with { Message = $"{g.First().Message} The same holds for {count - 1} other file(s) of this channel." };
        });

    private static (ParsedSlice?, VolumeProblem?) ReadSlice(SeriesEntry entry, byte[] bytes, int length)
    {
        DicomFile file;
        ParsedSlice? slice;
        try
        {
            file = DicomReader.Read(bytes, length);
            slice = ParsedSlice.FromFile(entry, file);
        }
        catch (DicomFormatException ex)
        {
            return (null, new VolumeProblem(entry.Channel, "NotDicom", $"'{entry.Name}' was skipped: it is not a readable DICOM file ({ex.Message})", ProblemSeverity.Warning));
        }
        if (slice is null)
            return (null, new VolumeProblem(entry.Channel, "NotAnImage", $"'{entry.Name}' was skipped: it is a DICOM object without pixel data.", ProblemSeverity.Warning));
        if (slice.Frames != 1 || slice.Format.SamplesPerPixel != 1) return (slice, null);
        try
        {
            slice.Hu = DecodeHu(file, slice);
            return (slice, null);
        }
        catch (ImagingException ex)
        {
            return (slice, new VolumeProblem(entry.Channel, ex.Code, $"The pixels of '{entry.Name}' ({slice.TransferSyntax}) could not be decoded: {ex.Message}"));
        }
    }

    private static float[] DecodeHu(DicomFile file, ParsedSlice slice)
    {
        var format = slice.Format;
        var rescale = HuConverter.RescaleOf(file.Dataset, format, slice.Modality);
        if (PixelDataReader.TryGetNativeFrame(file, format, 0, out var native))
        {
            var values = GC.AllocateUninitializedArray<float>(format.Rows * format.Columns);
            HuConverter.Convert(native.Span, format, rescale, values);
            return values;
        }
        var hu = GC.AllocateUninitializedArray<float>(format.Rows * format.Columns);
        var buffer = ArrayPool<byte>.Shared.Rent((int)format.FrameBytes);
        try
        {
            var frame = buffer.AsSpan(0, (int)format.FrameBytes);
            PixelDataReader.DecodeFrame(file, format, 0, frame);
            HuConverter.Convert(frame, format, rescale, hu);
            return hu;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static LoadedSeries? BuildChannel(string channel, List<ParsedSlice> images, SeriesLoadOptions options, List<VolumeProblem> problems)
    {
        void Fail(string code, string message) => problems.Add(new VolumeProblem(channel, code, message));
        var label = Describe(channel);
        if (images.Count == 0)
        {
            Fail("NoImages", $"{label} holds no DICOM images.");
            return null;
        }
        var bySeries = images.GroupBy(s => s.SeriesInstanceUid).ToList();
        if (bySeries.Count > 1)
        {
            Fail("MultipleSeries", $"{label} holds {bySeries.Count} series ({string.Join(", ", bySeries.Select(g => $"{g.Key} with {g.Count()} images"))}); send one series per channel.");
            return null;
        }
        var first = images[0];
        if (first.SeriesInstanceUid.Length == 0)
        {
            Fail("MissingAttribute", $"'{first.Entry.Name}' has no SeriesInstanceUID (0020,000E).");
            return null;
        }
        var odd = images.FirstOrDefault(s => s.Format != first.Format);
        if (odd is not null)
        {
            Fail("InconsistentPixelFormat", $"'{odd.Entry.Name}' is {Describe(odd.Format)} but '{first.Entry.Name}' is {Describe(first.Format)}; all slices of a series must match.");
            return null;
        }
        if (first.Format.SamplesPerPixel != 1)
        {
            Fail("NotGrayscale", $"{label} holds colour images ({first.Format.SamplesPerPixel} samples per pixel); a CT or MR series is grayscale.");
            return null;
        }
        var multi = images.FirstOrDefault(s => s.Frames != 1);
        if (multi is not null)
        {
            Fail("MultiFrame", $"'{multi.Entry.Name}' holds {multi.Frames} frames; only single-frame images (one file per slice) are supported.");
            return null;
        }
        var frames = images.Select(s => s.FrameOfReferenceUid).Distinct().ToList();
        if (frames.Count > 1)
        {
            Fail("MultipleFramesOfReference", $"{label} mixes {frames.Count} frames of reference ({string.Join(", ", frames)}).");
            return null;
        }
        if (frames[0].Length == 0)
        {
            Fail("MissingAttribute", $"'{first.Entry.Name}' has no FrameOfReferenceUID (0020,0052).");
            return null;
        }
        var grid = SeriesGeometry.Build(channel, images, options, problems);
        if (grid is null) return null;

        var sorted = grid.Order.Select(i => images[i]).ToList();
        var volume = new ImageVolume(first.Format.Columns, first.Format.Rows, grid.Spacing, grid.Origin, grid.Direction,
            sorted.Select(s => s.Hu!).ToArray()) { Lossy = sorted.Any(s => s.Lossy) };
        return new LoadedSeries(channel, first.SeriesInstanceUid, first.StudyInstanceUid, frames[0], first.Modality,
            sorted.Select(s => new SliceReference(s.SopClassUid, s.SopInstanceUid, s.Position!, s.Entry.Name)).ToList(),
            sorted.Select(s => s.TransferSyntax.Uid).Distinct().ToList(),
            sorted[0].PatientAndStudy, volume);
    }

    private static string Describe(string channel) => channel.Length > 0 ? $"Channel '{channel}'" : "The top level of the upload";

    private static string Describe(FrameFormat f) =>
        $"{f.Columns}x{f.Rows}, {f.BitsAllocated}-bit ({f.BitsStored} stored, {(f.IsSigned ? "signed" : "unsigned")}), {f.SamplesPerPixel} sample(s)";
}
