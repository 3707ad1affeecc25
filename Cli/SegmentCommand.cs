using System.Diagnostics;
using System.Globalization;
using InnerEye.Imaging;
using InnerEye.Imaging.Nifti;
using InnerEye.Imaging.Seg;
using InnerEye.Imaging.Series;
using InnerEye.Inference;

namespace InnerEye.Cli;

/// <summary>
/// <c>innereye segment PATH --model ID --out rt.dcm [--seg seg.dcm [--seg-form binary|labelmap]] [--labels out.nii.gz]
/// [--device auto|cpu|cuda] [--models DIR]</c>: the whole pipeline offline, with the time of each stage.
/// </summary>
public static partial class SegmentCommand
{
    public const string Usage = "usage: innereye segment PATH --model ID[:VERSION] --out rt.dcm [--seg seg.dcm [--seg-form binary|labelmap]] [--labels out.nii.gz] [--probabilities out.npy] [--device auto|cpu|cuda] [--models DIR]";

    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var options = Parse(args, out var error);
        if (options is null)
        {
            await stderr.WriteLineAsync($"error: {error}\n{Usage}");
            return CommandLine.Usage;
        }
        var modelsFolder = ModelsFolder.Find(options.ModelsFolder);
        if (modelsFolder is null)
        {
            await stderr.WriteLineAsync("error: no models/ folder found; pass --models DIR.");
            return CommandLine.Usage;
        }
        try
        {
            return await RunAsync(options, modelsFolder, stdout);
        }
        catch (InferenceException ex)
        {
            await stderr.WriteLineAsync($"error [{ex.Code}]: {ex.Message}");
            return 2;
        }
        catch (ImagingException ex)
        {
            await stderr.WriteLineAsync($"error [{ex.Code}]: {ex.Message}");
            return 2;
        }
    }

    private static async Task<int> RunAsync(Options options, string modelsFolder, TextWriter stdout)
    {
        var total = Stopwatch.StartNew();
        var sessions = new ModelSessionCache(new InferenceOptions { Device = options.Device });
        var model = LoadModel(modelsFolder, options.Model, sessions);
        var modelLoad = total.Elapsed;

        var pipelineOptions = new PipelineOptions { KeepProbabilities = options.Probabilities is not null };
        var segmenter = new Segmenter(new SegmentationPipeline(sessions));
        using var rt = new MemoryStream();
        var job = await segmenter.RunAsync(options.Input, model, rt, options.Model, pipelineOptions);
        await File.WriteAllBytesAsync(options.Output, job.Rt);
        var result = job.Segmentation;
        var seg = TimeSpan.Zero;
        if (options.Seg is not null) seg = WriteSeg(options.Seg, options.SegForm, result, model);
        if (options.Labels is not null)
        {
            NiftiWriter.Write(options.Labels, ResultWriters.Labels(result, model));
        }
        if (options.Probabilities is not null)
        {
            var v = result.Reference.Volume;
            var probabilities = result.Probabilities!;
            NpyWriter.WriteFloat32(options.Probabilities, probabilities, [probabilities.Length, v.SizeZ, v.SizeY, v.SizeX]);
        }
        var t = result.Timings;
        await stdout.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"""
            model {model.FullId} on {sessions.Get(model).Device}: wrote {options.Output}{(options.Seg is null ? "" : $", {options.Seg}")}{(options.Labels is null ? "" : $" and {options.Labels}")}
              model load   {modelLoad.TotalSeconds,8:0.000} s
              decode       {job.Decode.TotalSeconds,8:0.000} s
              resample     {t.Resample.TotalSeconds,8:0.000} s
              inference    {t.Inference.TotalSeconds,8:0.000} s  (network {t.Network.TotalSeconds:0.000} s over {t.Patches} patches)
              postprocess  {t.Postprocess.TotalSeconds,8:0.000} s
              contour + RT {job.Contour.TotalSeconds,8:0.000} s
              SEG          {seg.TotalSeconds,8:0.000} s
              total        {total.Elapsed.TotalSeconds,8:0.000} s
            """));
        return CommandLine.Ok;
    }

    /// <summary>Loads only the requested model, so another model's missing file does not stop an offline run.</summary>
    private static ModelConfig LoadModel(string folder, string requested, ModelSessionCache sessions)
    {
        var id = requested.Split(':', 2)[0];
        var path = Path.Combine(folder, id + ".json");
        if (!File.Exists(path))
        {
            var known = Directory.GetFiles(folder, "*.json").Select(Path.GetFileNameWithoutExtension).OfType<string>().Order().ToArray();
            throw new ModelNotFoundException(requested, known);
        }
        var model = ModelConfigLoader.Load(path, sessions);
        return new ModelCatalog([model]).Find(requested);
    }

    private sealed record Options(string Input, string Model, string Output, string? Labels, string? Probabilities, InferenceDevice Device,
        string? ModelsFolder, string? Seg = null, SegForm SegForm = SegForm.Binary);

    private static Options? Parse(string[] args, out string error)
    {
        string? input = null, model = null, output = null, labels = null, probabilities = null, models = null, seg = null;
        var segForm = SegForm.Binary;
        var segFormGiven = false;
        var device = InferenceDevice.Auto;
        for (var i = 0; i < args.Length; i++)
        {
            var a = args[i];
            if (!a.StartsWith("--", StringComparison.Ordinal))
            {
                if (input is not null) { error = $"unexpected argument '{a}'"; return null; }
                input = a;
                continue;
            }
            if (i + 1 >= args.Length) { error = $"{a} needs a value"; return null; }
            var value = args[++i];
            switch (a)
            {
                case "--model": model = value; break;
                case "--out": output = value; break;
                case "--labels": labels = value; break;
                case "--probabilities": probabilities = value; break;
                case "--models": models = value; break;
                case "--seg": seg = value; break;
                case "--seg-form":
                    segFormGiven = true;
                    if (value == "binary")
                    {
                        segForm = SegForm.Binary;
                    }
                    else if (value == "labelmap")
                    {
                        segForm = SegForm.LabelMap;
                    }
                    else { error = $"--seg-form must be binary or labelmap, not '{value}'"; return null; }
                    break;
                case "--device":
                    if (!Enum.TryParse(value, ignoreCase: true, out device) || !Enum.IsDefined(device)) { error = $"--device must be auto, cpu or cuda, not '{value}'"; return null; }
                    break;
                default: error = $"unknown option {a}"; return null;
            }
        }
        error = input is null ? "PATH is missing" : model is null ? "--model is missing" : output is null ? "--out is missing"
            : segFormGiven && seg is null ? "--seg-form needs --seg" : "";
        return error.Length > 0 ? null : new Options(input!, model!, output!, labels, probabilities, device, models, seg, segForm);
    }
}
