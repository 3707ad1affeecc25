using System.Text.Json;
using InnerEye.Imaging.Seg;

namespace InnerEye.Inference;

/// <summary>A structure's optional coded meaning, for the DICOM Segmentation's segment description.</summary>
public static partial class ModelConfigLoader
{
    private sealed partial class Reader
    {
        /// <summary>
        /// <c>"code": { "category": [value, scheme, meaning], "type": [value, scheme, meaning], "modifier": [...] }</c>,
        /// modifier optional; null when the structure has no "code".
        /// </summary>
        private SegmentCode? StructureCode(JsonElement item, string field)
        {
            if (!item.TryGetProperty("code", out var c) || c.ValueKind == JsonValueKind.Null) return null;
            field += ".code";
            if (c.ValueKind != JsonValueKind.Object)
            {
                Error(field, "must be an object { category, type[, modifier] } of [value, scheme, meaning] triples");
                return null;
            }
            var category = CodeTriple(c, "category", field, required: true);
            var type = CodeTriple(c, "type", field, required: true);
            var modifier = CodeTriple(c, "modifier", field, required: false);
            foreach (var p in c.EnumerateObject())
            {
                if (p.Name is not ("category" or "type" or "modifier")) Error($"{field}.{p.Name}",
                    "is not a field of a code (category, type, modifier)");
            }
            return category is null || type is null ? null : new SegmentCode(category, type, modifier);
        }

        private SegCode? CodeTriple(JsonElement code, string name, string field, bool required)
        {
            field += "." + name;
            if (!code.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null)
            {
                if (required) Error(field, "is required: [value, scheme, meaning], e.g. [\"80891009\", \"SCT\", \"Heart\"]");
                return null;
            }
            if (v.ValueKind != JsonValueKind.Array || v.GetArrayLength() != 3 || v.EnumerateArray().Any(e => e.ValueKind != JsonValueKind.String))
            {
                Error(field, "must be 3 strings [value, scheme, meaning]");
                return null;
            }
            var parts = v.EnumerateArray().Select(e => e.GetString()!).ToArray();
            if (parts[0].Length is 0 or > 16 || parts[1].Length is 0 or > 16 || parts[2].Length is 0 or > 64
                || parts.Any(p => p.Contains('\\') || p.Any(char.IsControl)))
            {
                Error(field, "must have a value and scheme of 1-16 characters and a meaning of 1-64, without backslashes");
                return null;
            }
            return new SegCode(parts[0], parts[1], parts[2]);
        }
    }
}
