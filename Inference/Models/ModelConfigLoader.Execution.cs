using System.Text.Json;

namespace InnerEye.Inference;

/// <summary>The fields that say how a model is executed: grid, normalisation, sliding window, mirroring, ensemble, output.</summary>
public static partial class ModelConfigLoader
{
    private sealed partial class Reader
    {
        private IReadOnlyList<string>? Ensemble(JsonElement root)
        {
            if (!root.TryGetProperty("ensemble", out var e) || e.ValueKind == JsonValueKind.Null) return null;
            if (e.ValueKind != JsonValueKind.Array || e.GetArrayLength() == 0
                || e.EnumerateArray().Any(f => f.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(f.GetString())))
            {
                Error("ensemble", "must be a non-empty array of ONNX file names (one per fold)");
                return null;
            }
            var files = e.EnumerateArray().Select(f => f.GetString()!).ToList();
            if (files.Distinct(StringComparer.Ordinal).Count() != files.Count) Error("ensemble", "lists a file twice");
            return files;
        }

        private ModelGrid Grid(JsonElement root)
        {
            var text = OptionalString(root, "grid", "grid");
            switch (text)
            {
                case null or "patientAxes": return ModelGrid.PatientAxes;
                case "voxel": return ModelGrid.Voxel;
                default:
                    Error("grid", $"must be \"patientAxes\" or \"voxel\", not '{text}'");
                    return ModelGrid.PatientAxes;
            }
        }

        private NormalizationConfig? Normalization(JsonElement n, string field)
        {
            if (n.ValueKind != JsonValueKind.Object)
            {
                Error(field, "must be an object { scheme, … }");
                return null;
            }
            var scheme = String(n, "scheme", field + ".scheme");
            switch (scheme)
            {
                case null: return null;
                case "window":
                    return Window(n, field) is { } window ? new NormalizationConfig(NormalizationScheme.Window) { Window = window } : null;
                case "ctClipZScore":
                    var mean = Number(n, "mean", field + ".mean");
                    var std = Number(n, "std", field + ".std");
                    var lower = Number(n, "lower", field + ".lower");
                    var upper = Number(n, "upper", field + ".upper");
                    if (std is not null && !(std > 0)) Error(field + ".std", "must be positive");
                    if (lower is not null && upper is not null && !(upper >= lower)) Error(field + ".upper", "must not be below lower");
                    return mean is null || std is null || lower is null || upper is null ? null
                        : new NormalizationConfig(NormalizationScheme.CtClipZScore) { Mean = mean.Value, Std = std.Value, Lower = lower.Value,
                            Upper = upper.Value };
                case "zScore":
                    return new NormalizationConfig(NormalizationScheme.ZScore)
                    {
                        NonzeroMaskOnly = OptionalBool(n, "nonzeroMaskOnly", field + ".nonzeroMaskOnly") ?? false,
                    };
                case "rescale01": return new NormalizationConfig(NormalizationScheme.Rescale01);
                case "none": return new NormalizationConfig(NormalizationScheme.None);
                default:
                    Error(field + ".scheme", $"'{scheme}' is not a normalization scheme (window, ctClipZScore, zScore, rescale01, none)");
                    return null;
            }
        }

        private SlidingWindowConfig? SlidingWindow(JsonElement root)
        {
            if (!root.TryGetProperty("slidingWindow", out var s) || s.ValueKind == JsonValueKind.Null) return SlidingWindowConfig.Default;
            if (s.ValueKind != JsonValueKind.Object)
            {
                Error("slidingWindow", "must be an object { stepFraction, blending, batchSize, accumulator }");
                return null;
            }
            double? step = null;
            if (s.TryGetProperty("stepFraction", out var st) && st.ValueKind != JsonValueKind.Null)
            {
                step = Number(s, "stepFraction", "slidingWindow.stepFraction");
                if (step is not null && !(step > 0 && step <= 1))
                {
                    Error("slidingWindow.stepFraction", "must be in (0, 1]");
                    step = null;
                }
            }
            var blendingText = OptionalString(s, "blending", "slidingWindow.blending") ?? "linear";
            Blending? blending = blendingText switch { "linear" => Inference.Blending.Linear, "gaussian" => Inference.Blending.Gaussian, _ => null };
            if (blending is null) Error("slidingWindow.blending", $"must be \"gaussian\" or \"linear\", not '{blendingText}'");
            var batch = 1;
            if (s.TryGetProperty("batchSize", out var b) && b.ValueKind != JsonValueKind.Null
                && (b.ValueKind != JsonValueKind.Number || !b.TryGetInt32(out batch) || batch is < 1 or > 64))
            {
                Error("slidingWindow.batchSize", "must be an integer from 1 to 64");
                batch = 1;
            }
            var accumulatorText = OptionalString(s, "accumulator", "slidingWindow.accumulator") ?? "float32";
            AccumulatorPrecision? accumulator = accumulatorText switch
            {
                "float32" => AccumulatorPrecision.Float32,
                "float16" => AccumulatorPrecision.Float16,
                _ => null,
            };
            if (accumulator is null) Error("slidingWindow.accumulator", $"must be \"float16\" or \"float32\", not '{accumulatorText}'");
            return blending is null || accumulator is null ? null : new SlidingWindowConfig(step, blending.Value, batch, accumulator.Value);
        }

        private VoxelGridConfig? VoxelGrid(JsonElement root, ModelGrid grid)
        {
            var d = VoxelGridConfig.Default;
            if (!root.TryGetProperty("preprocessing", out var p) || p.ValueKind != JsonValueKind.Object) return d;
            string[] keys = ["transposeForward", "cropToNonzero", "imageResampling", "outputResampling", "anisotropyThreshold"];
            if (grid != ModelGrid.Voxel)
            {
                foreach (var key in keys.Where(k => p.TryGetProperty(k, out var v) && v.ValueKind != JsonValueKind.Null))
                    Error("preprocessing." + key, "applies only to \"grid\": \"voxel\"");
                return d;
            }
            var transpose = d.TransposeForward;
            if (p.TryGetProperty("transposeForward", out var t) && t.ValueKind != JsonValueKind.Null)
            {
                var values = t.ValueKind == JsonValueKind.Array ? t.EnumerateArray().Select(v => v.TryGetInt32(out var i) ? i : -1).ToArray() : [];
                if (values.Length != 3 || !values.Order().SequenceEqual([0, 1, 2]))
                    Error("preprocessing.transposeForward", "must be a permutation of [0, 1, 2]");
                else transpose = values;
            }
            var crop = OptionalBool(p, "cropToNonzero", "preprocessing.cropToNonzero") ?? d.CropToNonzero;
            var image = Resampling(p, "imageResampling", d.Image);
            var output = Resampling(p, "outputResampling", d.Output);
            var threshold = d.AnisotropyThreshold;
            if (p.TryGetProperty("anisotropyThreshold", out var a) && a.ValueKind != JsonValueKind.Null)
            {
                if (Number(p, "anisotropyThreshold", "preprocessing.anisotropyThreshold") is { } value && value >= 1) threshold = value;
                else Error("preprocessing.anisotropyThreshold", "must be a number ≥ 1");
            }
            return image is null || output is null ? null : new VoxelGridConfig(transpose, crop, image, output, threshold);
        }

        private ResamplingConfig? Resampling(JsonElement p, string name, ResamplingConfig fallback)
        {
            var field = "preprocessing." + name;
            if (!p.TryGetProperty(name, out var r) || r.ValueKind == JsonValueKind.Null) return fallback;
            if (r.ValueKind != JsonValueKind.Object)
            {
                Error(field, "must be an object { inPlane, outOfPlane, separateZ }");
                return null;
            }
            var inPlane = InterpolationOf(r, "inPlane", field, fallback.InPlane);
            var outOfPlane = InterpolationOf(r, "outOfPlane", field, fallback.OutOfPlane);
            var separate = OptionalBool(r, "separateZ", field + ".separateZ");
            return inPlane is null || outOfPlane is null ? null : new ResamplingConfig(inPlane.Value, outOfPlane.Value, separate);
        }

        private ResamplingOrder? InterpolationOf(JsonElement r, string name, string field, ResamplingOrder fallback)
        {
            var text = OptionalString(r, name, $"{field}.{name}");
            ResamplingOrder? value = text switch
            {
                null => fallback,
                "nearest" => ResamplingOrder.Nearest,
                "linear" => ResamplingOrder.Linear,
                "bspline3" => ResamplingOrder.BSpline3,
                _ => null,
            };
            if (value is null) Error($"{field}.{name}", $"must be \"nearest\", \"linear\" or \"bspline3\", not '{text}'");
            return value;
        }

        private int[]? MirrorAxes(JsonElement root)
        {
            if (!root.TryGetProperty("testTimeAugmentation", out var t) || t.ValueKind == JsonValueKind.Null) return [];
            if (t.ValueKind != JsonValueKind.Object || !t.TryGetProperty("mirrorAxes", out var m) || m.ValueKind != JsonValueKind.Array)
            {
                Error("testTimeAugmentation.mirrorAxes", "must be an array of distinct axes 0 (z), 1 (y), 2 (x)");
                return null;
            }
            var axes = m.EnumerateArray().Select(v => v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var i) ? i : -1).ToArray();
            if (axes.Any(a => a is < 0 or > 2) || axes.Distinct().Count() != axes.Length)
            {
                Error("testTimeAugmentation.mirrorAxes", "must be an array of distinct axes 0 (z), 1 (y), 2 (x)");
                return null;
            }
            return axes;
        }

        private OutputConfig? Output(JsonElement root, IReadOnlyList<StructureConfig>? structures)
        {
            if (!root.TryGetProperty("output", out var o) || o.ValueKind == JsonValueKind.Null) return OutputConfig.Default;
            if (o.ValueKind != JsonValueKind.Object)
            {
                Error("output", "must be an object { kind, activation, regions }");
                return null;
            }
            var kindText = OptionalString(o, "kind", "output.kind") ?? "probabilities";
            OutputKind? kind = kindText switch { "probabilities" => OutputKind.Probabilities, "logits" => OutputKind.Logits, _ => null };
            if (kind is null) Error("output.kind", $"must be \"probabilities\" or \"logits\", not '{kindText}'");
            var activationText = OptionalString(o, "activation", "output.activation") ?? "softmax";
            OutputActivation? activation = activationText switch
            {
                "softmax" => OutputActivation.Softmax,
                "sigmoid" => OutputActivation.Sigmoid,
                _ => null,
            };
            if (activation is null) Error("output.activation", $"must be \"softmax\" or \"sigmoid\", not '{activationText}'");
            var regions = new List<int[]>();
            if (o.TryGetProperty("regions", out var r) && r.ValueKind != JsonValueKind.Null)
            {
                if (r.ValueKind != JsonValueKind.Array)
                {
                    Error("output.regions", "must be an array of label lists");
                }
                else
                {
                    var index = 0;
                    foreach (var region in r.EnumerateArray())
                    {
                        var labels = region.ValueKind == JsonValueKind.Array
                            ? region.EnumerateArray().Select(v => v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var i) ? i : -1)
                                .ToArray() : [];
                        if (labels.Length == 0 || labels.Any(l => l < 1)) Error($"output.regions[{index}]",
                            "must be a non-empty array of labels ≥ 1");
                        regions.Add(labels);
                        index++;
                    }
                }
            }
            if (activation == OutputActivation.Sigmoid && structures is not null && regions.Count != structures.Count)
                Error("output.regions",
                    $"must list one region per structure with a sigmoid output ({regions.Count} regions, {structures.Count} structures)");
            if (activation == OutputActivation.Softmax && regions.Count > 0) Error("output.regions", "applies only to a sigmoid output");
            return kind is null || activation is null ? null : new OutputConfig(kind.Value, activation.Value, regions);
        }

        /// <summary>The voxel grid runs nnU-Net's sliding window: a fixed patch on every axis.</summary>
        private void CheckVoxelGrid(ModelGrid grid, PreprocessingConfig? preprocessing, SlidingWindowConfig? slidingWindow)
        {
            if (grid != ModelGrid.Voxel || preprocessing is null) return;
            if (preprocessing.PatchSize.Any(p => p == 0))
                Error("preprocessing.patchSize", "must be positive on every axis with \"grid\": \"voxel\"");
            if (slidingWindow is not null && slidingWindow.StepFraction is null && preprocessing.PatchOverlap.All(o => o == 0))
                Error("slidingWindow.stepFraction", "or preprocessing.patchOverlap is needed with \"grid\": \"voxel\"");
        }
    }
}
