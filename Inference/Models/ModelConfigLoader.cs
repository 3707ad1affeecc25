using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace InnerEye.Inference;

/// <summary>
/// Reads and validates <c>models/&lt;Id&gt;.json</c>. Every problem is reported with the file and the field it is in
/// ("models/X.json: preprocessing.patchSize must have 3 non-negative integers"), all problems of a file at once.
/// </summary>
public static partial class ModelConfigLoader
{
    [GeneratedRegex("^[A-Za-z0-9_.-]+$")]
    private static partial Regex IdPattern();

    private static readonly JsonDocumentOptions DocumentOptions = new() { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip };

    /// <summary>
    /// Reads, validates and checks that the ONNX file opens in ONNX Runtime and has the inputs and outputs the
    /// configuration names. With <paramref name="sessions"/> the session stays cached there for inference; without,
    /// a CPU session is created to check the file and disposed.
    /// </summary>
    /// <exception cref="ModelConfigException">The JSON is invalid; every error names its field.</exception>
    /// <exception cref="ModelLoadException">The ONNX file is missing, corrupt, or does not match the configuration.</exception>
    public static ModelConfig Load(string path, ModelSessionCache? sessions = null)
    {
        var config = Read(path);
        if (sessions is not null)
        {
            sessions.GetAll(config);
        }
        else
        {
            using var cache = new ModelSessionCache(new InferenceOptions { Device = InferenceDevice.Cpu });
            cache.GetAll(config);
        }
        return config;
    }

    /// <summary>Reads and validates the JSON and checks that the ONNX file exists; does not open the model.</summary>
    public static ModelConfig Read(string path)
    {
        string json;
        try
        {
            json = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ModelLoadException("ModelConfigUnreadable", path, $"{path}: cannot read the model configuration: {e.Message}", e);
        }
        var config = Parse(json, path);
        if (!File.Exists(config.OnnxPath))
        {
            throw new ModelLoadException("ModelFileMissing", config.OnnxPath,
                $"{path}: onnxFile '{config.OnnxFile}' does not exist (looked for {config.OnnxPath}).");
        }

        var missing = config.EnsemblePaths.FirstOrDefault(p => !File.Exists(p));
        if (missing is not null)
            throw new ModelLoadException("ModelFileMissing", missing, $"{path}: ensemble file {missing} does not exist.");
        return config;
    }

    /// <summary>
    /// Validates a configuration's JSON text. <paramref name="path"/> names the file in errors, gives the folder the
    /// ONNX file is resolved against, and its file name must be the id.
    /// </summary>
    public static ModelConfig Parse(string json, string path)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, DocumentOptions);
        }
        catch (JsonException e)
        {
            throw new ModelConfigException(path, [$"{path}: not valid JSON: {e.Message}"]);
        }
        using (document)
        {
            var r = new Reader(path);
            var config = r.Model(document.RootElement);
            if (r.Errors.Count > 0 || config is null) throw new ModelConfigException(path, r.Errors);
            return config;
        }
    }

    private sealed partial class Reader(string path)
    {
        public List<string> Errors { get; } = [];

        private void Error(string field, string message) => Errors.Add($"{path}: {field} {message}");

        public ModelConfig? Model(JsonElement root)
        {
            if (root.ValueKind != JsonValueKind.Object)
            {
                Errors.Add($"{path}: the configuration must be a JSON object");
                return null;
            }
            var id = String(root, "id", "id");
            if (id is not null && !IdPattern().IsMatch(id)) Error("id", $"'{id}' may only hold letters, digits, '_', '.' and '-'");
            var fileId = Path.GetFileNameWithoutExtension(path);
            if (id is not null && fileId.Length > 0 && id != fileId) Error("id", $"'{id}' must match the file name '{fileId}.json'");
            var version = Version(root);
            var displayName = OptionalString(root, "displayName", "displayName") ?? id ?? "";
            var ensemble = Ensemble(root);
            var onnxFile = ensemble is { Count: > 0 } && !root.TryGetProperty("onnxFile", out _) ? ensemble[0] : String(root, "onnxFile", "onnxFile");
            var onnxInput = String(root, "onnxInput", "onnxInput");
            var onnxOutput = String(root, "onnxOutput", "onnxOutput");
            var grid = Grid(root);
            var channels = InputChannels(root);
            var slidingWindow = SlidingWindow(root);
            var preprocessing = Preprocessing(root, channels, slidingWindow);
            var voxelGrid = VoxelGrid(root, grid);
            var mirrorAxes = MirrorAxes(root);
            var structures = Structures(root);
            var output = Output(root, structures);
            var dynamicBatch = OptionalBool(root, "onnxDynamicBatch", "onnxDynamicBatch");
            var postprocessing = Postprocessing(root);
            var rt = Rt(root);
            CheckVoxelGrid(grid, preprocessing, slidingWindow);
            if (Errors.Count > 0) return null;
            var folder = Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".";
            return new ModelConfig(id!, version!, displayName, onnxFile!, onnxInput!, onnxOutput!, channels!, preprocessing!,
                structures!, postprocessing!, rt!)
            {
                ConfigPath = path,
                OnnxPath = Path.GetFullPath(Path.Combine(folder, onnxFile!)),
                Grid = grid,
                VoxelGrid = voxelGrid!,
                SlidingWindow = slidingWindow!,
                MirrorAxes = mirrorAxes!,
                Output = output!,
                EnsemblePaths = ensemble is null ? [] : [.. ensemble.Select(f => Path.GetFullPath(Path.Combine(folder, f)))],
                DynamicBatch = dynamicBatch,
            };
        }

        private string? Version(JsonElement root)
        {
            if (!root.TryGetProperty("version", out var v) || v.ValueKind == JsonValueKind.Null)
            {
                Error("version", "is missing");
                return null;
            }
            var text = v.ValueKind switch
            {
                JsonValueKind.String => v.GetString(),
                JsonValueKind.Number when v.TryGetInt64(out var n) => n.ToString(CultureInfo.InvariantCulture),
                _ => null,
            };
            if (string.IsNullOrWhiteSpace(text) || text.Contains(':'))
            {
                Error("version", "must be a non-empty string without ':'");
                return null;
            }
            return text;
        }

        private IReadOnlyList<InputChannelConfig>? InputChannels(JsonElement root)
        {
            if (!root.TryGetProperty("inputChannels", out var array) || array.ValueKind != JsonValueKind.Array || array.GetArrayLength() == 0)
            {
                Error("inputChannels", "must be a non-empty array of { \"id\", \"modality\" }");
                return null;
            }
            var list = new List<InputChannelConfig>();
            var index = 0;
            foreach (var item in array.EnumerateArray())
            {
                var field = $"inputChannels[{index++}]";
                if (item.ValueKind != JsonValueKind.Object)
                {
                    Error(field, "must be an object");
                    continue;
                }
                var id = String(item, "id", field + ".id");
                var modality = String(item, "modality", field + ".modality");
                WindowConfig? window = null;
                if (item.TryGetProperty("window", out var w) && w.ValueKind != JsonValueKind.Null) window = Window(w, field + ".window");
                if (id is not null && list.Any(c => c.Id == id)) Error(field + ".id", $"'{id}' is listed twice");
                var normalization = item.TryGetProperty("normalization", out var n) && n.ValueKind != JsonValueKind.Null
                    ? Normalization(n, field + ".normalization") : null;
                if (id is not null && modality is not null)
                    list.Add(new InputChannelConfig(id, modality.ToUpperInvariant(), window) { Normalization = normalization });
            }
            return list;
        }

        private PreprocessingConfig? Preprocessing(JsonElement root, IReadOnlyList<InputChannelConfig>? channels, SlidingWindowConfig? slidingWindow)
        {
            if (!root.TryGetProperty("preprocessing", out var p) || p.ValueKind != JsonValueKind.Object)
            {
                Error("preprocessing", "must be an object with window, targetSpacing, patchSize and patchOverlap");
                return null;
            }
            WindowConfig? window = null;
            // The preprocessing window is the default for channels without their own normalisation or window.
            var windowNeeded = channels is null || channels.Any(c => c.Window is null && c.Normalization is null);
            if (p.TryGetProperty("window", out var w) && w.ValueKind != JsonValueKind.Null) window = Window(w, "preprocessing.window");
            else if (windowNeeded) Error("preprocessing.window", "is missing (needed by input channels without their own normalization or window)");

            double[]? spacing = null;
            if (p.TryGetProperty("targetSpacing", out var s) && s.ValueKind != JsonValueKind.Null)
            {
                spacing = Numbers(s, 3);
                if (spacing is null || spacing.Any(v => !(v > 0) || double.IsInfinity(v)))
                {
                    Error("preprocessing.targetSpacing", "must be null or 3 positive numbers [x, y, z] (mm)");
                    spacing = null;
                }
            }
            var patch = Integers(p, "patchSize", "preprocessing.patchSize");
            // With a step fraction the overlap in voxels is not used, and may be left out.
            var overlap = slidingWindow?.StepFraction is not null && !p.TryGetProperty("patchOverlap", out _)
                ? [0, 0, 0] : Integers(p, "patchOverlap", "preprocessing.patchOverlap");
            if (patch is not null && overlap is not null)
            {
                string[] axes = ["z", "y", "x"];
                for (var a = 0; a < 3; a++)
                {
                    if (patch[a] > 0 && overlap[a] >= patch[a])
                        Error("preprocessing.patchOverlap",
                            $"must be smaller than preprocessing.patchSize on each axis ({axes[a]}: overlap {overlap[a]}, patch {patch[a]})");
                }
            }
            return (window is null && windowNeeded) || patch is null || overlap is null
                ? null : new PreprocessingConfig(window, spacing, patch, overlap);
        }

        private WindowConfig? Window(JsonElement w, string field)
        {
            if (w.ValueKind != JsonValueKind.Object)
            {
                Error(field, "must be an object { level, width, outputMin, outputMax }");
                return null;
            }
            var level = Number(w, "level", field + ".level");
            var width = Number(w, "width", field + ".width");
            var min = Number(w, "outputMin", field + ".outputMin");
            var max = Number(w, "outputMax", field + ".outputMax");
            if (width is not null && !(width > 0)) Error(field + ".width", "must be positive");
            if (min is not null && max is not null && !(max > min)) Error(field + ".outputMax", "must be greater than outputMin");
            return level is null || width is null || min is null || max is null || !(width > 0) || !(max > min)
                ? null : new WindowConfig(level.Value, width.Value, min.Value, max.Value);
        }

        private IReadOnlyList<StructureConfig>? Structures(JsonElement root)
        {
            if (!root.TryGetProperty("structures", out var array) || array.ValueKind != JsonValueKind.Array
                || array.GetArrayLength() is 0 or > byte.MaxValue)
            {
                Error("structures", "must be an array of 1 to 255 structures { name, color, interpretedType, fillHoles }");
                return null;
            }
            var list = new List<StructureConfig>();
            var index = 0;
            foreach (var item in array.EnumerateArray())
            {
                var field = $"structures[{index++}]";
                if (item.ValueKind != JsonValueKind.Object)
                {
                    Error(field, "must be an object");
                    continue;
                }
                var name = String(item, "name", field + ".name");
                if (name is not null && list.Any(st => string.Equals(st.Name, name, StringComparison.OrdinalIgnoreCase)))
                    Error(field + ".name", $"'{name}' is listed twice");
                byte[]? color = null;
                if (!item.TryGetProperty("color", out var c) || Numbers(c, 3) is not { } rgb || rgb.Any(v => v < 0 || v > 255 || v != Math.Floor(v)))
                    Error(field + ".color", "must be 3 integers 0-255 [r, g, b]");
                else color = [(byte)rgb[0], (byte)rgb[1], (byte)rgb[2]];
                var type = OptionalString(item, "interpretedType", field + ".interpretedType") ?? "";
                var fill = OptionalBool(item, "fillHoles", field + ".fillHoles") ?? false;
                var code = StructureCode(item, field);
                if (name is not null && color is not null) list.Add(new StructureConfig(name, color[0], color[1], color[2], type,
                    fill) { Code = code });
            }
            return list;
        }

        private PostprocessingConfig? Postprocessing(JsonElement root)
        {
            if (!root.TryGetProperty("postprocessing", out var p) || p.ValueKind == JsonValueKind.Null) return PostprocessingConfig.None;
            if (p.ValueKind != JsonValueKind.Object)
            {
                Error("postprocessing", "must be an object { largestComponent, minimumSizeVoxels }");
                return null;
            }
            var largest = OptionalBool(p, "largestComponent", "postprocessing.largestComponent") ?? false;
            var minimum = 0;
            if (p.TryGetProperty("minimumSizeVoxels", out var m) && m.ValueKind != JsonValueKind.Null)
            {
                if (m.ValueKind != JsonValueKind.Number || !m.TryGetInt32(out minimum) || minimum < 0)
                {
                    Error("postprocessing.minimumSizeVoxels", "must be a non-negative integer");
                    return null;
                }
            }
            return new PostprocessingConfig(largest, minimum);
        }

        private RtConfig? Rt(JsonElement root)
        {
            if (!root.TryGetProperty("rt", out var rt) || rt.ValueKind == JsonValueKind.Null) return RtConfig.Default;
            if (rt.ValueKind != JsonValueKind.Object)
            {
                Error("rt", "must be an object { manufacturer, interpreter }");
                return null;
            }
            return new RtConfig(OptionalString(rt, "manufacturer", "rt.manufacturer") ?? RtConfig.Default.Manufacturer,
                OptionalString(rt, "interpreter", "rt.interpreter") ?? RtConfig.Default.Interpreter);
        }

        private string? String(JsonElement obj, string name, string field)
        {
            if (!obj.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null)
            {
                Error(field, "is missing");
                return null;
            }
            if (v.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(v.GetString()))
            {
                Error(field, "must be a non-empty string");
                return null;
            }
            return v.GetString();
        }

        private string? OptionalString(JsonElement obj, string name, string field)
        {
            if (!obj.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) return null;
            if (v.ValueKind != JsonValueKind.String)
            {
                Error(field, "must be a string");
                return null;
            }
            return v.GetString();
        }

        private bool? OptionalBool(JsonElement obj, string name, string field)
        {
            if (!obj.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) return null;
            if (v.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
            {
                Error(field, "must be true or false");
                return null;
            }
            return v.GetBoolean();
        }

        private double? Number(JsonElement obj, string name, string field)
        {
            if (!obj.TryGetProperty(name, out var v) || v.ValueKind != JsonValueKind.Number || !double.IsFinite(v.GetDouble()))
            {
                Error(field, "must be a number");
                return null;
            }
            return v.GetDouble();
        }

        private int[]? Integers(JsonElement obj, string name, string field)
        {
            if (!obj.TryGetProperty(name, out var v) || Numbers(v, 3) is not { } values
                || values.Any(x => x < 0 || x != Math.Floor(x) || x > int.MaxValue))
            {
                Error(field, "must have 3 non-negative integers [z, y, x]");
                return null;
            }
            return [.. values.Select(x => (int)x)];
        }

        private static double[]? Numbers(JsonElement v, int count)
        {
            if (v.ValueKind != JsonValueKind.Array || v.GetArrayLength() != count) return null;
            var values = new double[count];
            var i = 0;
            foreach (var item in v.EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.Number || !double.IsFinite(item.GetDouble())) return null;
                values[i++] = item.GetDouble();
            }
            return values;
        }
    }
}
