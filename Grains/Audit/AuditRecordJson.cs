using System.Globalization;
using System.Text;
using System.Text.Json;

namespace InnerEye.Grains.Audit;

/// <summary>
/// The line format: one JSON object, camelCase, every field present (null when unknown), <c>time</c> in UTC as the
/// round-trip ("o") form.
/// </summary>
public static class AuditRecordJson
{
    public static byte[] ToLine(AuditRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("time", record.Time.UtcDateTime.ToString("o", CultureInfo.InvariantCulture));
            w.WriteString("client", record.Client);
            w.WriteString("action", record.Action);
            w.WriteString("route", record.Route);
            if (record.Status is { } status) w.WriteNumber("status", status);
            else w.WriteNull("status");
            w.WriteString("modelId", record.ModelId);
            w.WriteString("modelVersion", record.ModelVersion);
            w.WriteString("segmentationId", record.SegmentationId);
            w.WriteString("studyHash", record.StudyHash);
            if (record.Bytes is { } bytes) w.WriteNumber("bytes", bytes);
            else w.WriteNull("bytes");
            w.WriteString("outcome", record.Outcome);
            w.WriteEndObject();
        }
        buffer.WriteByte((byte)'\n');
        return buffer.ToArray();
    }

    public static AuditRecord Parse(string line)
    {
        using var json = JsonDocument.Parse(line);
        var o = json.RootElement;
        string? Text(string name) => o.GetProperty(name).ValueKind == JsonValueKind.Null ? null : o.GetProperty(name).GetString();
        return new AuditRecord(
            DateTimeOffset.Parse(Text("time")!, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind),
            Text("client"),
            Text("action")!,
            Text("route"),
            o.GetProperty("status").ValueKind == JsonValueKind.Null ? null : o.GetProperty("status").GetInt32(),
            Text("modelId"),
            Text("modelVersion"),
            Text("segmentationId"),
            Text("studyHash"),
            o.GetProperty("bytes").ValueKind == JsonValueKind.Null ? null : o.GetProperty("bytes").GetInt64(),
            Text("outcome")!);
    }

    /// <summary>Every record of every <c>*.jsonl</c> file under <paramref name="folder"/>, in time order.</summary>
    public static IReadOnlyList<AuditRecord> ReadFolder(string folder)
    {
        if (!Directory.Exists(folder)) return [];
        return [.. Directory.EnumerateFiles(folder, "*.jsonl")
            .SelectMany(f => File.ReadAllLines(f, Encoding.UTF8))
            .Where(l => l.Length > 0)
            .Select(Parse)
            .OrderBy(r => r.Time)];
    }
}
