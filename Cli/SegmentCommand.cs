using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using InnerEye.Imaging.Nifti;
using InnerEye.Imaging.Seg;
using InnerEye.Inference;

namespace InnerEye.Cli;

/// <summary>
/// <c>innereye segment PATH --model ID --out rt.dcm [--seg seg.dcm [--seg-form binary|labelmap]] [--labels out.nii.gz]
/// [--probabilities out.npy] [--device auto|cpu|cuda] [--models DIR] [--json]</c>: the whole pipeline offline, through
/// the service's own <see cref="Segmenter"/>, with its progress per stage on stderr and the time of each stage.
/// </summary>
public static partial class SegmentCommand
{
    private sealed record Options(string Input, string Model, string Output, string? Labels, string? Probabilities, InferenceDevice Device,
        string? ModelsFolder, string? Seg, SegForm SegForm, bool Json);

    public static Command Create()
    {
        var input = new Argument<string>("PATH") { Description = "A gateway zip or a folder of DICOM files." };
        var model = OptionParsers.Text("--model", "ID[:VERSION]", "The model to run.", required: true);
        var output = OptionParsers.Text("--out", "rt.dcm", "The RT Structure Set to write.", required: true);
        var seg = OptionParsers.Text("--seg", "seg.dcm", "Also write a DICOM Segmentation.");
        var segForm = OptionParsers.Choice("--seg-form", "The Segmentation's form: BINARY segments or one label map (default binary).",
            SegForm.Binary, ("binary", SegForm.Binary), ("labelmap", SegForm.LabelMap));
        var labels = OptionParsers.Text("--labels", "out.nii.gz", "Also write the labels as NIfTI.");
        var probabilities = OptionParsers.Text("--probabilities", "out.npy", "Also write the class probabilities [K, z, y, x] as numpy float32.");
        var device = OptionParsers.Choice("--device", "Where the network runs (default auto).", InferenceDevice.Auto,
            ("auto", InferenceDevice.Auto), ("cpu", InferenceDevice.Cpu), ("cuda", InferenceDevice.Cuda));
        var models = OptionParsers.Text("--models", "DIR",
            "The models folder (default: the nearest models/ above the working directory or the program).");
        var json = new Option<bool>("--json") { Description = "Print one JSON object: the model, the files written and the seconds of each stage." };
        var command = new Command("segment",
            "Segment a gateway zip or folder offline and write the RT Structure Set (and a DICOM Segmentation, BINARY or label map, the "
            + "labels as NIfTI, the class probabilities as numpy float32). Progress per stage (decode, resample, inference, postprocess, "
            + "contour, write) goes to stderr: a bar per stage on a terminal, plain lines when redirected.")
        {
            input, model, output, seg, segForm, labels, probabilities, device, models, json,
        };
        command.Validators.Add(r =>
        {
            if (r.GetResult(segForm) is { Implicit: false } && r.GetValue(seg) is null) r.AddError("--seg-form needs --seg");
        });
        command.SetAction((r, ct) => RunAsync(
            new Options(r.GetRequiredValue(input), r.GetRequiredValue(model), r.GetRequiredValue(output), r.GetValue(labels),
                r.GetValue(probabilities), r.GetValue(device), r.GetValue(models), r.GetValue(seg), r.GetValue(segForm), r.GetValue(json)),
            r.Out(), new StageProgress(r.Error(), r.ErrorIsTerminal()), r.Error(), ct));
        return command;
    }

    private static async Task<int> RunAsync(Options options, TextWriter stdout, StageProgress progress, TextWriter stderr,
        CancellationToken cancellationToken)
    {
        var modelsFolder = ModelsFolder.Find(options.ModelsFolder);
        if (modelsFolder is null)
        {
            await stderr.WriteLineAsync("error: no models/ folder found; pass --models DIR.");
            return ExitCodes.InputProblem;
        }
        var total = Stopwatch.StartNew();
        using var sessions = new ModelSessionCache(new InferenceOptions { Device = options.Device });
        var model = LoadModel(modelsFolder, options.Model, sessions);
        var modelLoad = total.Elapsed;

        var pipelineOptions = new PipelineOptions { KeepProbabilities = options.Probabilities is not null };
        var segmenter = new Segmenter(new SegmentationPipeline(sessions));
        using var rt = new MemoryStream();
        var job = await segmenter.RunAsync(options.Input, model, rt, options.Model, pipelineOptions, progress: progress,
            cancellationToken: cancellationToken);
        var (outputs, write, seg) = WriteOutputs(options, job, model, progress);
        var t = job.Segmentation.Timings;
        var report = new SegmentReport(model.FullId, sessions.Get(model).Device.ToString(), options.Input, outputs, new SegmentReport.Seconds(
            modelLoad.TotalSeconds, job.Decode.TotalSeconds, t.Resample.TotalSeconds, t.Inference.TotalSeconds, t.Network.TotalSeconds,
            t.Patches, t.Postprocess.TotalSeconds, job.Contour.TotalSeconds, write.TotalSeconds, seg?.TotalSeconds, total.Elapsed.TotalSeconds));
        if (options.Json) await stdout.WriteLineAsync(JsonSerializer.Serialize(report, SegmentReport.JsonOptions));
        else await stdout.WriteAsync(report.ToText());
        return ExitCodes.Ok;
    }

    /// <summary>The "write" stage: the RT Structure Set and each optional output, reported as a share of the files.</summary>
    private static (List<SegmentReport.Output> Outputs, TimeSpan Write, TimeSpan? Seg) WriteOutputs(Options options, SegmenterResult job,
        ModelConfig model, StageProgress progress)
    {
        var clock = Stopwatch.StartNew();
        var result = job.Segmentation;
        var writers = new List<(string Kind, string Path, Action Write)> { ("rt", options.Output, () => File.WriteAllBytes(options.Output, job.Rt)) };
        TimeSpan? seg = null;
        if (options.Seg is { } segPath) writers.Add(("seg", segPath, () => seg = WriteSeg(segPath, options.SegForm, result, model)));
        if (options.Labels is { } labels) writers.Add(("labels", labels, () => NiftiWriter.Write(labels, ResultWriters.Labels(result, model))));
        if (options.Probabilities is { } npy)
        {
            writers.Add(("probabilities", npy, () =>
            {
                var v = result.Reference.Volume;
                var probabilities = result.Probabilities!;
                NpyWriter.WriteFloat32(npy, probabilities, [probabilities.Length, v.SizeZ, v.SizeY, v.SizeX]);
            }));
        }
        progress.Report(new PipelineProgress(StageProgress.Write, 0));
        var outputs = new List<SegmentReport.Output>();
        foreach (var (kind, path, write) in writers)
        {
            write();
            outputs.Add(new SegmentReport.Output(kind, path, new FileInfo(path).Length));
            progress.Report(new PipelineProgress(StageProgress.Write, 100 * outputs.Count / writers.Count));
        }
        return (outputs, clock.Elapsed, seg);
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
}
