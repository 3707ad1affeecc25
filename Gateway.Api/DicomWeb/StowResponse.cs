using System.Text.Json;

namespace InnerEye.Gateway.Api.DicomWeb;

/// <summary>
/// The STOW-RS answer (PS3.18 §10.5.3): RetrieveURL of the study when the URL named one, FailedSOPSequence with each
/// failed part's FailureReason, ReferencedSOPSequence with each stored instance's RetrieveURL.
/// </summary>
public static class StowResponse
{
    public static byte[] Json(StowResult result, string baseUrl, string? study)
    {
        ArgumentNullException.ThrowIfNull(result);
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            if (study is not null) DicomJson.String(w, "00081190", "UR", $"{baseUrl}studies/{Uri.EscapeDataString(study)}");
            var failed = result.Parts.Where(p => !p.Stored).ToList();
            if (failed.Count > 0)
            {
                DicomJson.Sequence(w, "00081198", failed, (w, p) =>
                {
                    DicomJson.String(w, "00081150", "UI", p.SopClassUid);
                    DicomJson.String(w, "00081155", "UI", p.SopInstanceUid);
                    DicomJson.Number(w, "00081197", "US", p.FailureReason);
                });
            }
            var stored = result.Parts.Where(p => p.Stored).ToList();
            if (stored.Count > 0)
            {
                DicomJson.Sequence(w, "00081199", stored, (w, p) =>
                {
                    DicomJson.String(w, "00081150", "UI", p.SopClassUid);
                    DicomJson.String(w, "00081155", "UI", p.SopInstanceUid);
                    DicomJson.String(w, "00081190", "UR", InstanceUrl(baseUrl, p.StudyInstanceUid!, p.SeriesInstanceUid!, p.SopInstanceUid!));
                });
            }
            w.WriteEndObject();
        }
        return buffer.ToArray();
    }

    public static string InstanceUrl(string baseUrl, string study, string series, string instance) =>
        $"{baseUrl}studies/{Uri.EscapeDataString(study)}/series/{Uri.EscapeDataString(series)}/instances/{Uri.EscapeDataString(instance)}";
}
