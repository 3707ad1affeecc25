using System.Diagnostics;
using System.Globalization;
using InnerEye.Imaging.Series;
using InnerEye.Inference;

// usage: inference-bench MODELS_DIR MODEL_ID SERIES_PATH [device] [threads]
// Runs the whole pipeline once to warm up, then once measured: per-stage seconds, peak RSS growth, and the same number
// of patches of the same shape run straight through the model's session (the bare network time) for comparison.
var (modelsDir, modelId, seriesPath) = (args[0], args[1], args[2]);
var device = args.Length > 3 ? Enum.Parse<InferenceDevice>(args[3], ignoreCase: true) : InferenceDevice.Cpu;
var threads = args.Length > 4 ? int.Parse(args[4], CultureInfo.InvariantCulture) : 0;
var sessions = new ModelSessionCache(new InferenceOptions { Device = device, IntraOpThreads = threads });
var model = ModelConfigLoader.Load(Path.Combine(modelsDir, modelId + ".json"), sessions);
var pipeline = new SegmentationPipeline(sessions);
var startRss = PeakRss();

async Task<(TimeSpan Decode, SegmentationResult Result, TimeSpan Contour, TimeSpan Total)> RunOnce()
{
    var total = Stopwatch.StartNew();
    var input = VolumeLoader.Load(seriesPath).ThrowIfInvalid();
    var decode = total.Elapsed;
    var result = await pipeline.RunAsync(input, model);
    var watch = Stopwatch.StartNew();
    await SegmentationPipeline.WriteRtAsync(result, Stream.Null, model);
    return (decode, result, watch.Elapsed, total.Elapsed);
}

var first = await RunOnce();
var peakGrowth = (PeakRss() - startRss) / 1e6;
GC.Collect();
var (decode, result, contour, total) = await RunOnce();
var t = result.Timings;

// An ensemble's runs are spread over its folds' sessions as the pipeline spreads them.
var folds = sessions.GetAll(model);
var session = folds[0];
var shape = t.PatchShape;
var patch = new float[shape.Aggregate(1L, (a, b) => a * b)];
for (var i = 0; i < patch.Length; i++) patch[i] = (i % 97) / 48.5f - 1;
var bare = Stopwatch.StartNew();
for (var p = 0; p < t.Patches; p++) folds[p * folds.Count / Math.Max(1, t.Patches)].Run(patch, shape).Dispose();
bare.Stop();

var v = result.Reference.Volume;
var nonModel = total - t.Network;
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"""
    model {model.FullId} on {session.Device}, input {v.SizeX}x{v.SizeY}x{v.SizeZ}, {t.Patches} patches of [{string.Join(',', shape)}]
      decode        {decode.TotalSeconds,8:0.000} s
      resample      {t.Resample.TotalSeconds,8:0.000} s
      inference     {t.Inference.TotalSeconds,8:0.000} s   (network {t.Network.TotalSeconds:0.000} s)
      postprocess   {t.Postprocess.TotalSeconds,8:0.000} s
      contour + RT  {contour.TotalSeconds,8:0.000} s
      end to end    {total.TotalSeconds,8:0.000} s   (first, cold run {first.Total.TotalSeconds:0.000} s)
      bare network  {bare.Elapsed.TotalSeconds,8:0.000} s   same session, same patch count and shape
      non-model stages / end to end: {nonModel / total:0.000}
      in-pipeline network / bare network: {t.Network / bare.Elapsed:0.000}
      peak RSS growth {peakGrowth:0} MB (CT volume {v.VoxelCount * 4 / 1e6:0} MB as float32)
    """));

static long PeakRss()
{
    foreach (var line in File.ReadLines("/proc/self/status"))
        if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
    return 0;
}
