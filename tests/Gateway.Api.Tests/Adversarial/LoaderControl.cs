using InnerEye.Imaging;
using InnerEye.Imaging.Series;
using InnerEye.Imaging.Tests.Support;

namespace InnerEye.Gateway.Api.Tests.Adversarial;

/// <summary>What the Imaging library makes of an upload loaded directly with
/// <see cref="VolumeLoader.Load(string, SeriesLoadOptions?, CancellationToken)"/>.</summary>
public sealed record LoaderVerdict(bool Accepted, string Outcome, Exception? Unexpected, long AllocatedBytes);

/// <summary>
/// The control that judges uploads whose zip is intact: an upload "left the image readable" when the library loads
/// it with no error and a <c>ct</c> channel (what the PassThroughModel reads). Each case is loaded once per run.
/// </summary>
public static class LoaderControl
{
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, Lazy<LoaderVerdict>> Verdicts = new();

    public static LoaderVerdict Of(HostileCase upload) =>
        Verdicts.GetOrAdd(upload.Name, _ => new Lazy<LoaderVerdict>(() => Load(upload))).Value;

    private static LoaderVerdict Load(HostileCase upload)
    {
        using var dir = new TempDirectory();
        var path = dir.NewPath("upload.zip");
        File.WriteAllBytes(path, upload.Upload);
        var before = GC.GetTotalAllocatedBytes(precise: true);
        LoaderVerdict Verdict(bool accepted, string outcome, Exception? unexpected = null) =>
            new(accepted, outcome, unexpected, GC.GetTotalAllocatedBytes(precise: true) - before);
        try
        {
            var result = VolumeLoader.Load(path);
            var errors = result.Problems.Where(p => p.Severity == ProblemSeverity.Error).Select(p => p.Code).Distinct().ToList();
            if (errors.Count > 0) return Verdict(false, $"invalid ({string.Join(", ", errors)})");
            return result.Channel("ct") is { } ct
                ? Verdict(true, $"loaded ({ct.Slices.Count} slices, {string.Join(", ", ct.TransferSyntaxes)})")
                : Verdict(false, $"no ct channel ({string.Join(", ", result.Channels.Select(c => c.Channel))})");
        }
        catch (ImagingException e)
        {
            return Verdict(false, $"{e.GetType().Name} {e.Code}: {e.Message}");
        }
        catch (Exception e)
        {
            var inner = e is AggregateException a ? string.Join(", ", a.Flatten().InnerExceptions.Select(i => i.GetType().Name).Distinct()) : null;
            return Verdict(false, $"untyped {e.GetType().Name}{(inner is null ? "" : $" of {inner}")}: {e.Message}", e);
        }
    }
}
