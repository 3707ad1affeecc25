using System.Globalization;
using System.Text.Json;

namespace InnerEye.Inference.Nnunet.Import;

/// <summary>
/// What the network's outputs are, as nnU-Net's LabelManager decides from <c>dataset.json labels</c>: one softmax
/// class per label (background first) or, when any label is a list of several values (region-based training), one
/// sigmoid channel per region.
/// </summary>
/// <param name="Names">The structures: labels 1..K in value order, or the regions in dataset order.</param>
/// <param name="Regions">With regions, the label values each region is the union of; otherwise empty.</param>
internal sealed record NnUnetLabels(bool RegionBased, IReadOnlyList<string> Names, IReadOnlyList<int[]> Regions)
{
    /// <summary>The network's output channels (nnU-Net's num_segmentation_heads).</summary>
    public int OutputChannels => RegionBased ? Names.Count : Names.Count + 1;
}

/// <summary>nnU-Net's <c>dataset.json</c>: the input channels in index order, the labels and the dataset's name.</summary>
internal sealed record NnUnetDataset(string Path, string? Name, IReadOnlyList<string> ChannelNames, NnUnetLabels Labels)
{
    /// <exception cref="NnUnetImportException">InvalidNnUnetFile, LabelsNotConsecutive, RegionsClassOrderMissing.</exception>
    public static NnUnetDataset Load(string path)
    {
        var file = NnUnetJsonFile.Load(path);
        var root = file.Root;
        var name = root.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString() : null;
        return new NnUnetDataset(path, name, Channels(file), ReadLabels(file));
    }

    /// <summary><c>channel_names</c> (or the older <c>modality</c>): keys "0" to "C−1".</summary>
    private static List<string> Channels(NnUnetJsonFile file)
    {
        var key = file.Root.TryGetProperty("channel_names", out _) || !file.Root.TryGetProperty("modality", out _) ? "channel_names" : "modality";
        var channels = file.Object(file.Root, key, key);
        var names = new List<string>();
        var count = channels.EnumerateObject().Count();
        for (var i = 0; i < count; i++)
        {
            var index = i.ToString(CultureInfo.InvariantCulture);
            if (!channels.TryGetProperty(index, out var value))
                throw file.Invalid(key, $"must have the keys \"0\" to \"{count - 1}\" (channel indices); \"{index}\" is missing");
            var channel = file.Text(value, $"{key}.{index}");
            if (string.IsNullOrWhiteSpace(channel)) throw file.Invalid($"{key}.{index}", "must be a channel name");
            names.Add(channel);
        }
        if (count == 0) throw file.Invalid(key, "lists no channel");
        var twice = names.GroupBy(c => c.ToLowerInvariant()).FirstOrDefault(g => g.Count() > 1);
        if (twice is not null) throw file.Invalid(key, $"names '{twice.Key}' twice (channel ids are the names in lower case)");
        return names;
    }

    private static NnUnetLabels ReadLabels(NnUnetJsonFile file)
    {
        var labels = file.Object(file.Root, "labels", "labels");
        var background = file.Property(labels, "background", "labels.background");
        if (background.ValueKind != JsonValueKind.Number || file.Integer(background, "labels.background") != 0)
            throw file.Invalid("labels.background", "must be 0");
        // The ignore label is not an output of the network.
        var entries = labels.EnumerateObject().Where(e => e.Name != "ignore")
            .Select(e => (e.Name, Values: e.Value.ValueKind == JsonValueKind.Array
                ? file.Integers(e.Value, $"labels.{e.Name}")
                : [file.Integer(e.Value, $"labels.{e.Name}")]))
            .ToList();
        foreach (var (label, values) in entries.Where(e => e.Values.Length == 0))
            throw file.Invalid($"labels.{label}", "must be a label value or a non-empty list of label values");
        return entries.Any(e => e.Values.Length > 1) ? Regions(file, entries) : Classes(file, entries);
    }

    /// <summary>Softmax classes: nnU-Net's output channel i is label i, so the values must be 0, 1, …, K.</summary>
    private static NnUnetLabels Classes(NnUnetJsonFile file, List<(string Name, int[] Values)> entries)
    {
        var byValue = new SortedDictionary<int, string>();
        foreach (var (name, values) in entries)
        {
            if (!byValue.TryAdd(values[0], name))
                throw file.Invalid("labels", $"gives the value {values[0]} to both '{byValue[values[0]]}' and '{name}'");
        }
        if (byValue.Keys.Select((value, i) => value != i).Any(gap => gap))
        {
            throw new NnUnetImportException("LabelsNotConsecutive", file.Path, "labels",
                $"has the values {string.Join(", ", byValue.Keys)}; nnU-Net's output channel i is label i, so the labels must be 0, 1, …, " +
                "K without gaps");
        }

        return new NnUnetLabels(false, [.. byValue.Where(l => l.Key != 0).Select(l => l.Value)], []);
    }

    /// <summary>Regions: every entry but background is one sigmoid channel, in dataset order.</summary>
    private static NnUnetLabels Regions(NnUnetJsonFile file, List<(string Name, int[] Values)> entries)
    {
        var regions = entries.Where(e => !e.Values.All(v => v == 0)).ToList();
        foreach (var (name, values) in regions.Where(r => r.Values.Any(v => v < 1)))
            throw file.Invalid($"labels.{name}", $"is [{string.Join(", ", values)}]; a region is a union of labels ≥ 1");
        if (!file.Root.TryGetProperty("regions_class_order", out var order) || order.ValueKind == JsonValueKind.Null)
        {
            throw new NnUnetImportException("RegionsClassOrderMissing", file.Path, "regions_class_order",
                "is missing: the labels define regions (lists of label values), and nnU-Net needs regions_class_order to predict them");
        }

        var orderValues = file.Integers(order, "regions_class_order");
        if (orderValues.Length != regions.Count)
            throw file.Invalid("regions_class_order", $"has {orderValues.Length} entries but the labels define {regions.Count} regions");
        return new NnUnetLabels(true, [.. regions.Select(r => r.Name)], [.. regions.Select(r => r.Values.Distinct().Order().ToArray())]);
    }
}
