using System.Text.Json;

namespace InnerEye.Inference.Nnunet.Import;

/// <summary>
/// nnU-Net's <c>plans.json</c>: the dataset-wide fields and the configurations, whose <c>inherits_from</c> is resolved
/// as nnU-Net's PlansManager resolves it (the parent's fields, overridden key by key by the child's).
/// </summary>
internal sealed class NnUnetPlans
{
    private readonly NnUnetJsonFile _file;
    private readonly JsonElement _configurations;

    private NnUnetPlans(NnUnetJsonFile file)
    {
        _file = file;
        var root = file.Root;
        _configurations = file.Object(root, "configurations", "configurations");
        DatasetName = root.TryGetProperty("dataset_name", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString() : null;
        PlansName = root.TryGetProperty("plans_name", out var p) && p.ValueKind == JsonValueKind.String ? p.GetString() : null;
        TransposeForward = Permutation(root, "transpose_forward");
        TransposeBackward = Permutation(root, "transpose_backward");
        if (!ArrayAxes.Inverse(TransposeForward).SequenceEqual(TransposeBackward))
            throw file.Invalid("transpose_backward",
                $"[{string.Join(", ", TransposeBackward)}] is not the inverse of transpose_forward [{string.Join(", ", TransposeForward)}]");
    }

    public string Path => _file.Path;

    public string? DatasetName { get; }

    public string? PlansName { get; }

    public int[] TransposeForward { get; }

    public int[] TransposeBackward { get; }

    public IReadOnlyList<string> ConfigurationNames => [.. _configurations.EnumerateObject().Select(c => c.Name)];

    public static NnUnetPlans Load(string path) => new(NnUnetJsonFile.Load(path));

    /// <summary>The configuration with its inheritance resolved.</summary>
    /// <exception cref="NnUnetImportException">ConfigurationMissing, or InvalidNnUnetFile for a broken inheritance chain.</exception>
    public NnUnetConfigurationFields Configuration(string name)
    {
        if (!_configurations.TryGetProperty(name, out _))
        {
            throw new NnUnetImportException("ConfigurationMissing", Path, $"configurations.{name}",
                $"does not exist; the plans hold {string.Join(", ", ConfigurationNames)}");
        }

        var fields = new Dictionary<string, (JsonElement Value, string Origin)>(StringComparer.Ordinal);
        var chain = new List<string>();
        for (var current = name; current is not null;)
        {
            if (chain.Contains(current))
                throw _file.Invalid($"configurations.{chain[^1]}.inherits_from", $"makes a cycle: {string.Join(" → ", chain)} → {current}");
            chain.Add(current);
            if (!_configurations.TryGetProperty(current, out var configuration) || configuration.ValueKind != JsonValueKind.Object)
                throw _file.Invalid($"configurations.{chain[^2]}.inherits_from", $"names '{current}', which is not a configuration of the plans");
            foreach (var field in configuration.EnumerateObject())
                fields.TryAdd(field.Name, (field.Value, current)); // the child's value wins over its parents'
            current = configuration.TryGetProperty("inherits_from", out var parent) && parent.ValueKind != JsonValueKind.Null
                ? _file.Text(parent, $"configurations.{current}.inherits_from") : null;
        }
        return new NnUnetConfigurationFields(name, _file, fields);
    }

    /// <summary>The intensity statistics of channel <paramref name="channel"/> (CTNormalization's numbers).</summary>
    public JsonElement ForegroundIntensityProperties(int channel, out string field)
    {
        // Plans older than nnU-Net 2.1 call the table foreground_intensity_properties_by_modality.
        var table = _file.Root.TryGetProperty("foreground_intensity_properties_per_channel", out _)
            ? "foreground_intensity_properties_per_channel" : "foreground_intensity_properties_by_modality";
        var properties = _file.Object(_file.Root, table, "foreground_intensity_properties_per_channel");
        field = $"{table}.{channel}";
        return _file.Object(properties, channel.ToString(System.Globalization.CultureInfo.InvariantCulture), field);
    }

    public double Number(JsonElement obj, string name, string field) => _file.Number(_file.Property(obj, name, field), field);

    private int[] Permutation(JsonElement root, string name)
    {
        var axes = _file.Integers(_file.Property(root, name, name), name);
        return axes.Length == 3 && axes.Order().SequenceEqual([0, 1, 2]) ? axes : throw _file.Invalid(name, "must be a permutation of [0, 1, 2]");
    }
}

/// <summary>A configuration's fields after inheritance; each remembers the configuration it was written in.</summary>
internal sealed class NnUnetConfigurationFields(string name, NnUnetJsonFile file,
    IReadOnlyDictionary<string, (JsonElement Value, string Origin)> fields)
{
    public string Name { get; } = name;

    public NnUnetJsonFile File { get; } = file;

    public bool Has(string key) => fields.TryGetValue(key, out var f) && f.Value.ValueKind != JsonValueKind.Null;

    /// <summary>The field's path in plans.json, in the configuration that sets it: <c>configurations.3d_fullres.patch_size</c>.</summary>
    public string Field(string key) => $"configurations.{(fields.TryGetValue(key, out var f) ? f.Origin : Name)}.{key}";

    public JsonElement Get(string key) =>
        fields.TryGetValue(key, out var f) && f.Value.ValueKind != JsonValueKind.Null ? f.Value : throw File.Invalid(Field(key), "is missing");

    public string? OptionalText(string key) => Has(key) ? File.Text(Get(key), Field(key)) : null;
}
