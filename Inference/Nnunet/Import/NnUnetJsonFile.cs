using System.Globalization;
using System.Text.Json;

namespace InnerEye.Inference.Nnunet.Import;

/// <summary>
/// One of nnU-Net's JSON files (plans.json, dataset.json) with readers that name the file and the field in every
/// refusal (InvalidNnUnetFile).
/// </summary>
internal sealed class NnUnetJsonFile
{
    private NnUnetJsonFile(string path, JsonElement root)
    {
        Path = path;
        Root = root;
    }

    public string Path { get; }

    public JsonElement Root { get; }

    /// <exception cref="NnUnetImportException">NnUnetFileMissing, or InvalidNnUnetFile when the file is not a JSON object.</exception>
    public static NnUnetJsonFile Load(string path)
    {
        if (!File.Exists(path))
            throw new NnUnetImportException("NnUnetFileMissing", path, "",
                "does not exist; a trained nnU-Net model folder holds plans.json and dataset.json");
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path));
            if (document.RootElement.ValueKind != JsonValueKind.Object)
                throw new NnUnetImportException("InvalidNnUnetFile", path, "", "must hold a JSON object");
            return new NnUnetJsonFile(path, document.RootElement.Clone());
        }
        catch (JsonException e)
        {
            throw new NnUnetImportException("InvalidNnUnetFile", path, "", $"is not valid JSON: {e.Message}", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new NnUnetImportException("InvalidNnUnetFile", path, "", $"cannot be read: {e.Message}", e);
        }
    }

    public NnUnetImportException Invalid(string field, string message) => new("InvalidNnUnetFile", Path, field, message);

    public JsonElement Property(JsonElement obj, string name, string field) =>
        obj.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : throw Invalid(field, "is missing");

    public JsonElement Object(JsonElement obj, string name, string field)
    {
        var value = Property(obj, name, field);
        return value.ValueKind == JsonValueKind.Object ? value : throw Invalid(field, "must be a JSON object");
    }

    public string Text(JsonElement value, string field) =>
        value.ValueKind == JsonValueKind.String ? value.GetString()! : throw Invalid(field, "must be a string");

    public double Number(JsonElement value, string field) =>
        value.ValueKind == JsonValueKind.Number && double.IsFinite(value.GetDouble()) ? value.GetDouble() : throw Invalid(field, "must be a number");

    public int Integer(JsonElement value, string field)
    {
        if (value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var d) && d == Math.Floor(d)
            && d is >= int.MinValue and <= int.MaxValue)
            return (int)d;
        throw Invalid(field, "must be an integer");
    }

    public bool Boolean(JsonElement value, string field) =>
        value.ValueKind is JsonValueKind.True or JsonValueKind.False ? value.GetBoolean() : throw Invalid(field, "must be true or false");

    public JsonElement[] Array(JsonElement value, string field) =>
        value.ValueKind == JsonValueKind.Array ? [.. value.EnumerateArray()] : throw Invalid(field, "must be an array");

    public int[] Integers(JsonElement value, string field) => [.. Array(value, field).Select((v, i) => Integer(v, Item(field, i)))];

    public double[] Numbers(JsonElement value, string field) => [.. Array(value, field).Select((v, i) => Number(v, Item(field, i)))];

    public static string Item(string field, int index) => string.Create(CultureInfo.InvariantCulture, $"{field}[{index}]");
}
