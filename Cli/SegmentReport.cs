using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace InnerEye.Cli;

/// <summary>
/// What <c>innereye segment</c> did: the model, the files written and the seconds each stage took. Its JSON form
/// (<c>--json</c>) is documented in docs/cli.md.
/// </summary>
public sealed record SegmentReport(
    string Model, string Device, string Input, IReadOnlyList<SegmentReport.Output> Outputs, SegmentReport.Seconds Timings)
{
    public static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>A file written: <c>rt</c>, <c>seg</c>, <c>labels</c> or <c>probabilities</c>.</summary>
    public sealed record Output(string Kind, string Path, long Bytes);

    /// <summary>
    /// Seconds per stage, in order: model load, decode, resample, inference (of which network, over patches), postprocess,
    /// contour (with the RT Structure Set), write (every output file; of which seg), and the total.
    /// </summary>
    public sealed record Seconds(
        double ModelLoad, double Decode, double Resample, double Inference, double Network, int Patches, double Postprocess, double Contour,
        double Write, double? Seg, double Total);

    public string ToText()
    {
        var t = Timings;
        var files = Outputs.Select(o => o.Path).ToList();
        var w = new StringWriter(CultureInfo.InvariantCulture);
        w.WriteLine($"model {Model} on {Device}: wrote {string.Join(", ", files)}");
        w.WriteLine($"  model load   {t.ModelLoad,8:0.000} s");
        w.WriteLine($"  decode       {t.Decode,8:0.000} s");
        w.WriteLine($"  resample     {t.Resample,8:0.000} s");
        w.WriteLine($"  inference    {t.Inference,8:0.000} s  (network {t.Network:0.000} s over {t.Patches} patches)");
        w.WriteLine($"  postprocess  {t.Postprocess,8:0.000} s");
        w.WriteLine($"  contour + RT {t.Contour,8:0.000} s");
        w.WriteLine($"  write        {t.Write,8:0.000} s{(t.Seg is { } seg ? $"  (SEG {seg:0.000} s)" : "")}");
        w.WriteLine($"  total        {t.Total,8:0.000} s");
        return w.ToString();
    }
}
