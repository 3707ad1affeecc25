using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using InnerEye.Imaging;
using InnerEye.Imaging.Series;

namespace InnerEye.Cli;

/// <summary><c>innereye inspect PATH [--json]</c>: what a gateway zip or folder holds and whether it loads.</summary>
public static class InspectCommand
{
    public static Command Create()
    {
        var path = new Argument<string>("PATH") { Description = "A gateway zip or a folder of DICOM files." };
        var json = new Option<bool>("--json") { Description = "Print the report as one JSON object." };
        var command = new Command("inspect",
            "List the channels and series of a gateway zip or a folder of DICOM files, their geometry and every problem found "
            + "(exit 0 when each channel has a usable volume, 2 otherwise).") { path, json };
        command.SetAction((r, _) => RunAsync(r.GetRequiredValue(path), r.GetValue(json), r.Out()));
        return command;
    }

    private static async Task<int> RunAsync(string path, bool json, TextWriter stdout)
    {
        SeriesLoadResult result;
        try
        {
            result = VolumeLoader.Load(path);
        }
        catch (ImagingException ex)
        {
            result = new SeriesLoadResult([], [new VolumeProblem("", ex.Code, ex.Message)]);
        }
        var report = InspectReport.From(result);
        if (json) await stdout.WriteLineAsync(JsonSerializer.Serialize(report, InspectReport.JsonOptions));
        else await stdout.WriteAsync(report.ToText());
        return report.Usable ? ExitCodes.Ok : ExitCodes.InputProblem;
    }
}

/// <summary>The inspect output; its JSON form is a documented contract (see README).</summary>
public sealed record InspectReport(IReadOnlyList<InspectReport.ChannelInfo> Channels, IReadOnlyList<InspectReport.ProblemInfo> Problems)
{
    public static readonly JsonSerializerOptions JsonOptions = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    public sealed record ChannelInfo(
        string Channel, string SeriesInstanceUid, string Modality, IReadOnlyList<string> TransferSyntaxes, int Slices,
        int[] Size, double[] Spacing, double[] Origin, double[] Direction, double TiltDegrees, double HuMin, double HuMax, double HuMean, bool Lossy,
        int Instances, int MultiFrameInstances);

    public sealed record ProblemInfo(string Channel, string Code, string Message, string Severity);

    [System.Text.Json.Serialization.JsonIgnore]
    public bool Usable => Channels.Count > 0 && !Problems.Any(p => p.Severity == "error");

    public static InspectReport From(SeriesLoadResult result) => new(
        result.Channels.Select(Describe).ToList(),
        result.Problems.Select(p => new ProblemInfo(p.Channel, p.Code, p.Message, p.Severity == ProblemSeverity.Error ? "error" : "warning"))
            .ToList());

    private static ChannelInfo Describe(LoadedSeries s)
    {
        var v = s.Volume;
        double min = double.MaxValue, max = double.MinValue, sum = 0;
        foreach (var slice in v.Slices)
        {
            foreach (var x in slice)
            {
                if (x < min) min = x;
                if (x > max) max = x;
                sum += x;
            }
        }
        return new ChannelInfo(s.Channel, s.SeriesInstanceUid, s.Modality, s.TransferSyntaxes, s.Slices.Count,
            [v.SizeX, v.SizeY, v.SizeZ], Round(v.Spacing), Round(v.Origin), Round(v.Direction), Math.Round(v.TiltDegrees, 6), min, max,
            Math.Round(sum / v.VoxelCount, 3), v.Lossy,
            s.Slices.Select(x => x.SopInstanceUid).Distinct().Count(),
            s.Slices.Where(x => x.FrameNumber is not null).Select(x => x.SopInstanceUid).Distinct().Count());
    }

    private static double[] Round(double[] values) => values.Select(x => Math.Round(x, 6)).ToArray();

    public string ToText()
    {
        var w = new StringWriter(CultureInfo.InvariantCulture);
        foreach (var c in Channels)
        {
            w.WriteLine($"channel '{c.Channel}': {c.Modality} series {c.SeriesInstanceUid}");
            w.WriteLine($"  slices {c.Slices}, size {string.Join('x', c.Size)}, spacing {Join(c.Spacing)} mm");
            if (c.MultiFrameInstances > 0)
                w.WriteLine($"  frames of {c.MultiFrameInstances} multi-frame " +
                    $"image(s){(c.Instances > c.MultiFrameInstances ? $" and {c.Instances - c.MultiFrameInstances} single-frame image(s)" : "")}");
            w.WriteLine($"  origin {Join(c.Origin)}, direction {Join(c.Direction)}");
            w.WriteLine(c.TiltDegrees > 0
                ? $"  gantry tilt {c.TiltDegrees:0.###}° (the slices step along the third direction, not the slice normal)"
                : "  gantry tilt 0°");
            w.WriteLine($"  transfer syntaxes {string.Join(", ", c.TransferSyntaxes)}{(c.Lossy ? " (LOSSY)" : "")}");
            w.WriteLine($"  HU min {c.HuMin:0.###}, max {c.HuMax:0.###}, mean {c.HuMean:0.###}");
        }
        foreach (var p in Problems)
            w.WriteLine($"{p.Severity}: {(p.Channel.Length > 0 ? $"[{p.Channel}] " : "")}{p.Code}: {p.Message}");
        w.WriteLine(Usable ? "usable: yes" : "usable: no");
        return w.ToString();
    }

    private static string Join(double[] values) => string.Join(", ", values.Select(x => x.ToString("0.###", CultureInfo.InvariantCulture)));
}
