using System.Buffers;
using InnerEye.Imaging.Dicom;
using InnerEye.Imaging.Pixels;

namespace InnerEye.Imaging.Series;

/// <summary>
/// Loads an upload into one HU volume per channel. Files are read, parsed and decoded in parallel where they are read
/// (each slice straight to HU), then grouped by channel and series, sorted along the slice normal and validated. A
/// multi-frame (enhanced) image gives one slice per frame, its frames decoded in parallel.
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

        var slices = new ParsedSlice[]?[entries.Count];
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
                    (slices[i], entryProblems[i]) = ReadSlices(entries[i], bytes, length, options, cancellationToken);
                });
            });
        }
        catch (AggregateException e) when (e.Flatten().InnerExceptions.FirstOrDefault(x =>
            x is ImagingException or OperationCanceledException) is { } first)
        {
            // A worker's own error, not the wrapper Parallel.For puts around it: callers classify failures by type.
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(first);
        }
        problems.AddRange(Summarise(entryProblems.OfType<VolumeProblem>()));

        var loaded = new List<LoadedSeries>();
        var anyImages = slices.Any(s => s is not null);
        foreach (var channel in entries.Select(e => e.Channel).Distinct().Order(StringComparer.Ordinal))
        {
            var images = slices.OfType<ParsedSlice[]>().Where(s => s.Length > 0 && s[0].Entry.Channel == channel).SelectMany(s => s).ToList();
            if (entryProblems.Any(p => p is { Severity: ProblemSeverity.Error } && p.Channel == channel)) continue;
            if (images.Count == 0 && anyImages)
            {
                // Files beside the image channels (a label map, a report) are skipped, not an error.
                problems.Add(new VolumeProblem(channel, "NoImages", $"{Describe(channel)} holds no DICOM images and was ignored.",
                    ProblemSeverity.Warning));
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
            return count == 1
                ? g.First() : g.First() with { Message = $"{g.First().Message} The same holds for {count - 1} other file(s) of this channel." };
        });

    private static (ParsedSlice[]?, VolumeProblem?) ReadSlices(SeriesEntry entry, byte[] bytes, int length, SeriesLoadOptions options,
        CancellationToken cancellationToken)
    {
        DicomFile file;
        ParsedSlice[]? slices;
        try
        {
            file = DicomReader.Read(bytes, length);
            slices = ParsedSlice.FromFile(entry, file);
        }
        catch (DicomFormatException ex)
        {
            return (null, new VolumeProblem(entry.Channel, "NotDicom", $"'{entry.Name}' was skipped: it is not a readable DICOM file ({ex.Message})",
                ProblemSeverity.Warning));
        }
        catch (ImagingException ex)
        {
            // An image of this channel that cannot become slices: the channel cannot be loaded without it.
            return (null, new VolumeProblem(entry.Channel, ex.Code, ex.Message));
        }
        if (slices is null)
            return (null, new VolumeProblem(entry.Channel, "NotAnImage", $"'{entry.Name}' was skipped: it is a DICOM object without pixel data.",
                ProblemSeverity.Warning));
        if (slices.Length == 0 || slices[0].Format.SamplesPerPixel != 1) return (slices, null);
        try
        {
            if (slices.Length == 1)
            {
                slices[0].Hu = DecodeHu(file, slices[0]);
            }
            else
            {
                // One file may hold a whole series: its frames are decoded on all cores while its bytes are at hand,
                // frame by frame as cores come free (a core busy elsewhere does not hold back the rest).
                var workers = Math.Clamp(options.MaxDegreeOfParallelism, 1, slices.Length);
                Parallel.For(0, slices.Length, new ParallelOptions { MaxDegreeOfParallelism = workers, CancellationToken = cancellationToken },
                    k => slices[k].Hu = DecodeHu(file, slices[k]));
            }
            return (slices, null);
        }
        catch (Exception ex) when (Unwrap(ex) is ImagingException e)
        {
            return (slices, new VolumeProblem(entry.Channel, e.Code,
                $"The pixels of '{entry.Name}' ({slices[0].TransferSyntax}) could not be decoded: {e.Message}"));
        }
    }

    private static Exception Unwrap(Exception ex) =>
        ex is AggregateException a ? a.Flatten().InnerExceptions.FirstOrDefault(x => x is ImagingException) ?? ex : ex;

    private static float[] DecodeHu(DicomFile file, ParsedSlice slice)
    {
        var format = slice.Format;
        var rescale = slice.Rescale;
        var frame = (slice.FrameNumber ?? 1) - 1;
        if (PixelDataReader.TryGetNativeFrame(file, format, frame, out var native))
        {
            var values = GC.AllocateUninitializedArray<float>(format.Rows * format.Columns);
            HuConverter.Convert(native.Span, format, rescale, values);
            return values;
        }
        var hu = GC.AllocateUninitializedArray<float>(format.Rows * format.Columns);
        var buffer = ArrayPool<byte>.Shared.Rent((int)format.FrameBytes);
        try
        {
            var bytes = buffer.AsSpan(0, (int)format.FrameBytes);
            PixelDataReader.DecodeFrame(file, format, frame, bytes);
            HuConverter.Convert(bytes, format, rescale, hu);
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
            Fail("MultipleSeries",
                $"{label} holds {bySeries.Count} series ({string.Join(", ", bySeries.Select(g => $"{g.Key} with {g.Count()} images"))}); send one " +
                "series per channel.");
            return null;
        }
        var first = images[0];
        if (first.SeriesInstanceUid.Length == 0)
        {
            Fail("MissingAttribute", $"'{first.Entry.Name}' has no SeriesInstanceUID (0020,000E).");
            return null;
        }
        var single = images.FirstOrDefault(s => s.FrameNumber is null);
        var multi = images.FirstOrDefault(s => s.FrameNumber is not null);
        if (single is not null && multi is not null)
        {
            Fail("MixedFrameLayout",
                $"'{single.Entry.Name}' is a single-frame image but '{multi.Entry.Name}' is a multi-frame image of {multi.Frames} frame(s) in " +
                "the same series; " +
                "send the series one way: every slice as its own file, or the multi-frame image(s) alone.");
            return null;
        }
        var odd = images.FirstOrDefault(s => s.Format != first.Format);
        if (odd is not null)
        {
            Fail("InconsistentPixelFormat",
                $"'{odd.Entry.Name}' is {Describe(odd.Format)} but '{first.Entry.Name}' is {Describe(first.Format)}; all slices of a " +
                "series must match.");
            return null;
        }
        if (first.Format.SamplesPerPixel != 1)
        {
            Fail("NotGrayscale", $"{label} holds colour images ({first.Format.SamplesPerPixel} samples per pixel); a CT or MR series is grayscale.");
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
        var slices = sorted.Select(s => s.Hu!).ToArray();
        var volume = new ImageVolume(first.Format.Columns, first.Format.Rows, grid.Spacing, grid.Origin, grid.Direction, slices)
        {
            Lossy = sorted.Any(s => s.Lossy),
        };
        return new LoadedSeries(channel, first.SeriesInstanceUid, first.StudyInstanceUid, frames[0], first.Modality,
            sorted.Select(s => new SliceReference(s.SopClassUid, s.SopInstanceUid, s.Position!, s.Entry.Name, s.FrameNumber)).ToList(),
            sorted.Select(s => s.TransferSyntax.Uid).Distinct().ToList(),
            sorted[0].PatientAndStudy, volume);
    }

    private static string Describe(string channel) => channel.Length > 0 ? $"Channel '{channel}'" : "The top level of the upload";

    private static string Describe(FrameFormat f) =>
        $"{f.Columns}x{f.Rows}, {f.BitsAllocated}-bit ({f.BitsStored} stored, {(f.IsSigned ? "signed" : "unsigned")}), {f.SamplesPerPixel} sample(s)";
}
