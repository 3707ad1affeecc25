using System.Text.Json;

namespace InnerEye.Gateway.Api.DicomWeb;

/// <summary>The few DICOM JSON (PS3.18 Annex F) attributes this service answers with, written in tag order by the caller.</summary>
public static class DicomJson
{
    public const string MediaType = "application/dicom+json";

    public static void String(Utf8JsonWriter w, string tag, string vr, string? value)
    {
        w.WriteStartObject(tag);
        w.WriteString("vr", vr);
        if (!string.IsNullOrEmpty(value))
        {
            w.WriteStartArray("Value");
            w.WriteStringValue(value);
            w.WriteEndArray();
        }
        w.WriteEndObject();
    }

    public static void Number(Utf8JsonWriter w, string tag, string vr, long? value)
    {
        w.WriteStartObject(tag);
        w.WriteString("vr", vr);
        if (value is { } n)
        {
            w.WriteStartArray("Value");
            w.WriteNumberValue(n);
            w.WriteEndArray();
        }
        w.WriteEndObject();
    }

    /// <summary>A sequence whose items <paramref name="item"/> writes, one a value.</summary>
    public static void Sequence<T>(Utf8JsonWriter w, string tag, IEnumerable<T> values, Action<Utf8JsonWriter, T> item)
    {
        w.WriteStartObject(tag);
        w.WriteString("vr", "SQ");
        w.WriteStartArray("Value");
        foreach (var value in values)
        {
            w.WriteStartObject();
            item(w, value);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }
}
