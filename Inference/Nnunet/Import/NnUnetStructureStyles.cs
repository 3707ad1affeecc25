using System.Text.Json;

namespace InnerEye.Inference.Nnunet.Import;

/// <summary>
/// The colour and RTROIInterpretedType of each imported structure: from a structures file
/// <c>{ "Heart": { "color": [255, 0, 255], "interpretedType": "ORGAN" }, … }</c> where it names the structure, else a
/// default palette colour and ORGAN. Holes are never filled: nnU-Net's predictor does not fill them.
/// </summary>
internal static class NnUnetStructureStyles
{
    public const string DefaultInterpretedType = "ORGAN";

    private static readonly byte[][] Palette =
    [
        [255, 0, 0], [0, 128, 255], [0, 200, 80], [255, 0, 255], [255, 200, 0], [0, 220, 220], [255, 128, 0], [128, 64, 255],
        [160, 255, 0], [255, 0, 128], [0, 0, 255], [128, 128, 0], [0, 128, 128], [255, 160, 160], [128, 0, 0], [0, 96, 0],
    ];

    /// <exception cref="NnUnetImportException">StructuresFileInvalid: unreadable, not JSON, an unknown name or a bad value.</exception>
    public static IReadOnlyList<StructureConfig> For(IReadOnlyList<string> names, string? stylesFile)
    {
        var styles = stylesFile is null ? new() : Read(stylesFile, names);
        return [.. names.Select((name, i) =>
        {
            var (color, type) = styles.TryGetValue(name, out var style) ? style : (null, null);
            color ??= DefaultColor(i);
            return new StructureConfig(name, color[0], color[1], color[2], type ?? DefaultInterpretedType, false);
        })];
    }

    /// <summary>The palette's colours first, then hues a golden angle apart.</summary>
    public static byte[] DefaultColor(int index)
    {
        if (index < Palette.Length) return Palette[index];
        var hue = (index - Palette.Length) * 137.508 % 360;
        var x = 1 - Math.Abs(hue / 60 % 2 - 1);
        var (r, g, b) = (int)(hue / 60) switch
        {
            0 => (1d, x, 0d),
            1 => (x, 1d, 0d),
            2 => (0d, 1d, x),
            3 => (0d, x, 1d),
            4 => (x, 0d, 1d),
            _ => (1d, 0d, x),
        };
        return [(byte)Math.Round(255 * r), (byte)Math.Round(255 * g), (byte)Math.Round(255 * b)];
    }

    private static Dictionary<string, (byte[]? Color, string? Type)> Read(string path, IReadOnlyList<string> names)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(File.ReadAllText(path));
        }
        catch (JsonException e)
        {
            throw new NnUnetImportException("StructuresFileInvalid", path, "", $"is not valid JSON: {e.Message}", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new NnUnetImportException("StructuresFileInvalid", path, "", $"cannot be read: {e.Message}", e);
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
                throw new NnUnetImportException("StructuresFileInvalid", path, "",
                    "must hold a JSON object { \"<structure>\": { \"color\", \"interpretedType\" } }");
            var styles = new Dictionary<string, (byte[]?, string?)>(StringComparer.Ordinal);
            foreach (var entry in document.RootElement.EnumerateObject())
            {
                if (!names.Contains(entry.Name, StringComparer.Ordinal))
                {
                    throw new NnUnetImportException("StructuresFileInvalid", path, entry.Name,
                        $"is not a structure of the model; its structures are {string.Join(", ", names)}");
                }

                if (entry.Value.ValueKind != JsonValueKind.Object)
                    throw new NnUnetImportException("StructuresFileInvalid", path, entry.Name,
                        "must be an object { \"color\", \"interpretedType\" }");
                byte[]? color = null;
                string? type = null;
                foreach (var property in entry.Value.EnumerateObject())
                {
                    var field = $"{entry.Name}.{property.Name}";
                    switch (property.Name)
                    {
                        case "color":
                            color = Color(property.Value) ?? throw new NnUnetImportException("StructuresFileInvalid", path, field,
                                "must be 3 integers 0-255 [r, g, b]");
                            break;
                        case "interpretedType":
                            type = property.Value.ValueKind == JsonValueKind.String && property.Value.GetString() is { Length: > 0 } t ? t
                                : throw new NnUnetImportException("StructuresFileInvalid", path, field,
                                    "must be a non-empty string (RTROIInterpretedType, e.g. ORGAN)");
                            break;
                        default:
                            throw new NnUnetImportException("StructuresFileInvalid", path, field, "is not a style field (color, interpretedType)");
                    }
                }
                styles[entry.Name] = (color, type);
            }
            return styles;
        }
    }

    private static byte[]? Color(JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Array || value.GetArrayLength() != 3) return null;
        var rgb = value.EnumerateArray().Select(v => v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var c) && c is >= 0 and <= 255 ? c : -1)
            .ToArray();
        return rgb.Any(c => c < 0) ? null : [.. rgb.Select(c => (byte)c)];
    }
}
