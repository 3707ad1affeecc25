using System.Text;
using System.Text.Json;

namespace InnerEye.Inference.Nnunet.Import;

/// <summary>
/// Writes a <see cref="ModelConfig"/> in the format <see cref="ModelConfigLoader"/> reads: every field it holds, the
/// ONNX files relative to the configuration's folder. Reading the text back gives an equal configuration.
/// </summary>
internal static class ModelConfigJson
{
    public static string Write(ModelConfig model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var folder = Path.GetDirectoryName(Path.GetFullPath(model.ConfigPath)) ?? ".";
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("id", model.Id);
            w.WriteString("version", model.Version);
            w.WriteString("displayName", model.DisplayName);
            w.WriteString("grid", model.Grid == ModelGrid.Voxel ? "voxel" : "patientAxes");
            if (model.EnsemblePaths.Count > 0)
            {
                w.WriteStartArray("ensemble");
                foreach (var path in model.EnsemblePaths) w.WriteStringValue(Path.GetRelativePath(folder, path));
                w.WriteEndArray();
            }
            else
            {
                w.WriteString("onnxFile", model.OnnxFile);
            }
            w.WriteString("onnxInput", model.OnnxInput);
            w.WriteString("onnxOutput", model.OnnxOutput);
            if (model.DynamicBatch is { } dynamicBatch) w.WriteBoolean("onnxDynamicBatch", dynamicBatch);
            InputChannels(w, model.InputChannels);
            Preprocessing(w, model);
            SlidingWindow(w, model.SlidingWindow);
            if (model.MirrorAxes.Length > 0)
            {
                w.WriteStartObject("testTimeAugmentation");
                Integers(w, "mirrorAxes", model.MirrorAxes);
                w.WriteEndObject();
            }
            Output(w, model.Output);
            Structures(w, model.Structures);
            w.WriteStartObject("postprocessing");
            w.WriteBoolean("largestComponent", model.Postprocessing.LargestComponent);
            w.WriteNumber("minimumSizeVoxels", model.Postprocessing.MinimumSizeVoxels);
            w.WriteEndObject();
            w.WriteStartObject("rt");
            w.WriteString("manufacturer", model.Rt.Manufacturer);
            w.WriteString("interpreter", model.Rt.Interpreter);
            w.WriteEndObject();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

    private static void InputChannels(Utf8JsonWriter w, IReadOnlyList<InputChannelConfig> channels)
    {
        w.WriteStartArray("inputChannels");
        foreach (var channel in channels)
        {
            w.WriteStartObject();
            w.WriteString("id", channel.Id);
            w.WriteString("modality", channel.Modality);
            if (channel.Window is { } window) Window(w, "window", window);
            if (channel.Normalization is { } n)
            {
                w.WriteStartObject("normalization");
                switch (n.Scheme)
                {
                    case NormalizationScheme.Window:
                        w.WriteString("scheme", "window");
                        WindowFields(w, n.Window!);
                        break;
                    case NormalizationScheme.CtClipZScore:
                        w.WriteString("scheme", "ctClipZScore");
                        w.WriteNumber("mean", n.Mean);
                        w.WriteNumber("std", n.Std);
                        w.WriteNumber("lower", n.Lower);
                        w.WriteNumber("upper", n.Upper);
                        break;
                    case NormalizationScheme.ZScore:
                        w.WriteString("scheme", "zScore");
                        w.WriteBoolean("nonzeroMaskOnly", n.NonzeroMaskOnly);
                        break;
                    case NormalizationScheme.Rescale01:
                        w.WriteString("scheme", "rescale01");
                        break;
                    default:
                        w.WriteString("scheme", "none");
                        break;
                }
                w.WriteEndObject();
            }
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    private static void Preprocessing(Utf8JsonWriter w, ModelConfig model)
    {
        var p = model.Preprocessing;
        w.WriteStartObject("preprocessing");
        if (p.Window is { } window) Window(w, "window", window);
        if (p.TargetSpacing is { } spacing)
        {
            w.WriteStartArray("targetSpacing");
            foreach (var s in spacing) w.WriteNumberValue(s);
            w.WriteEndArray();
        }
        else
        {
            w.WriteNull("targetSpacing");
        }
        Integers(w, "patchSize", p.PatchSize);
        if (model.SlidingWindow.StepFraction is null || p.PatchOverlap.Any(o => o != 0)) Integers(w, "patchOverlap", p.PatchOverlap);
        if (model.Grid == ModelGrid.Voxel)
        {
            var v = model.VoxelGrid;
            Integers(w, "transposeForward", v.TransposeForward);
            w.WriteBoolean("cropToNonzero", v.CropToNonzero);
            Resampling(w, "imageResampling", v.Image);
            Resampling(w, "outputResampling", v.Output);
            w.WriteNumber("anisotropyThreshold", v.AnisotropyThreshold);
        }
        w.WriteEndObject();
    }

    private static void Resampling(Utf8JsonWriter w, string name, ResamplingConfig r)
    {
        w.WriteStartObject(name);
        w.WriteString("inPlane", Order(r.InPlane));
        w.WriteString("outOfPlane", Order(r.OutOfPlane));
        if (r.ForceSeparateZ is { } separate) w.WriteBoolean("separateZ", separate);
        else w.WriteNull("separateZ");
        w.WriteEndObject();
    }

    private static string Order(ResamplingOrder order) => order switch
    {
        ResamplingOrder.Nearest => "nearest",
        ResamplingOrder.Linear => "linear",
        _ => "bspline3",
    };

    private static void SlidingWindow(Utf8JsonWriter w, SlidingWindowConfig s)
    {
        if (s == SlidingWindowConfig.Default) return;
        w.WriteStartObject("slidingWindow");
        if (s.StepFraction is { } step) w.WriteNumber("stepFraction", step);
        w.WriteString("blending", s.Blending == Blending.Gaussian ? "gaussian" : "linear");
        w.WriteNumber("batchSize", s.BatchSize);
        w.WriteString("accumulator", s.Accumulator == AccumulatorPrecision.Float16 ? "float16" : "float32");
        w.WriteEndObject();
    }

    private static void Output(Utf8JsonWriter w, OutputConfig o)
    {
        w.WriteStartObject("output");
        w.WriteString("kind", o.Kind == OutputKind.Logits ? "logits" : "probabilities");
        w.WriteString("activation", o.Activation == OutputActivation.Sigmoid ? "sigmoid" : "softmax");
        if (o.Regions.Count > 0)
        {
            w.WriteStartArray("regions");
            foreach (var region in o.Regions)
            {
                w.WriteStartArray();
                foreach (var label in region) w.WriteNumberValue(label);
                w.WriteEndArray();
            }
            w.WriteEndArray();
        }
        w.WriteEndObject();
    }

    private static void Structures(Utf8JsonWriter w, IReadOnlyList<StructureConfig> structures)
    {
        w.WriteStartArray("structures");
        foreach (var s in structures)
        {
            w.WriteStartObject();
            w.WriteString("name", s.Name);
            Integers(w, "color", [s.R, s.G, s.B]);
            w.WriteString("interpretedType", s.InterpretedType);
            w.WriteBoolean("fillHoles", s.FillHoles);
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    private static void Window(Utf8JsonWriter w, string name, WindowConfig window)
    {
        w.WriteStartObject(name);
        WindowFields(w, window);
        w.WriteEndObject();
    }

    private static void WindowFields(Utf8JsonWriter w, WindowConfig window)
    {
        w.WriteNumber("level", window.Level);
        w.WriteNumber("width", window.Width);
        w.WriteNumber("outputMin", window.OutputMin);
        w.WriteNumber("outputMax", window.OutputMax);
    }

    private static void Integers(Utf8JsonWriter w, string name, IEnumerable<int> values)
    {
        w.WriteStartArray(name);
        foreach (var v in values) w.WriteNumberValue(v);
        w.WriteEndArray();
    }
}
