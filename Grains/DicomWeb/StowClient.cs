using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace InnerEye.Grains.DicomWeb;

public enum StowOutcomeKind
{
    Delivered,

    /// <summary>Refused for good (a 4xx other than 408/429, or a FailedSOPSequence): retrying cannot help.</summary>
    Rejected,

    /// <summary>The server could not be reached or answered 5xx, 408 or 429: try again later.</summary>
    Transient,
}

public sealed record StowOutcome(StowOutcomeKind Kind, string Detail);

/// <summary>Sends DICOM files to a DICOMweb server by STOW-RS (<c>POST {base}studies</c>) and reads its answer.</summary>
public sealed class StowClient(HttpClient http)
{
    private const int MaxDetail = 400;

    public async Task<StowOutcome> StoreAsync(DicomWebDestination destination, IReadOnlyList<Func<Stream>> files, TimeSpan timeout,
        CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(destination);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(new Uri(destination.Url), "studies"));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/dicom+json"));
        foreach (var (name, value) in destination.Headers) request.Headers.TryAddWithoutValidation(name, value);
        if (destination.Username is not null || destination.Password is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic",
                Convert.ToBase64String(Encoding.UTF8.GetBytes($"{destination.Username}:{destination.Password}")));
        }
        request.Content = MultipartRelated.Content(files);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(timeout);
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, deadline.Token).ConfigureAwait(false);
            var body = await response.Content.ReadAsStringAsync(deadline.Token).ConfigureAwait(false);
            return Judge(response.StatusCode, body);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            return new StowOutcome(StowOutcomeKind.Transient, $"No answer within {timeout}.");
        }
        catch (HttpRequestException e)
        {
            return new StowOutcome(StowOutcomeKind.Transient, $"The server could not be reached: {e.Message}");
        }
    }

    /// <summary>What an answer means for the delivery.</summary>
    public static StowOutcome Judge(HttpStatusCode status, string body)
    {
        var code = (int)status;
        var failures = FailureReasons(body);
        if (failures.Count > 0)
            return new StowOutcome(StowOutcomeKind.Rejected,
                $"HTTP {code}: the server refused the instance (FailureReason {string.Join(", ", failures)}).");
        if (code is >= 200 and < 300) return new StowOutcome(StowOutcomeKind.Delivered, $"HTTP {code}");
        var detail = $"HTTP {code}{(body.Length > 0 ? ": " + Shorten(body) : "")}";
        return code is >= 400 and < 500 and not 408 and not 429
            ? new StowOutcome(StowOutcomeKind.Rejected, detail)
            : new StowOutcome(StowOutcomeKind.Transient, detail);
    }

    /// <summary>The FailureReason (0008,1197) of each FailedSOPSequence (0008,1198) item, as hex; empty when there is none or the body is not DICOM
    /// JSON.</summary>
    public static IReadOnlyList<string> FailureReasons(string body)
    {
        if (string.IsNullOrWhiteSpace(body)) return [];
        try
        {
            using var json = JsonDocument.Parse(body);
            var root = json.RootElement.ValueKind == JsonValueKind.Array && json.RootElement.GetArrayLength() > 0
                ? json.RootElement[0] : json.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("00081198", out var failed) ||
                !failed.TryGetProperty("Value", out var items) || items.ValueKind != JsonValueKind.Array)
            {
                return [];
            }

            var reasons = new List<string>();
            foreach (var item in items.EnumerateArray())
            {
                var reason = item.ValueKind == JsonValueKind.Object && item.TryGetProperty("00081197", out var r) &&
                    r.TryGetProperty("Value", out var v) && v.ValueKind == JsonValueKind.Array && v.GetArrayLength() > 0 &&
                    v[0].TryGetInt32(out var n) ? $"0x{n:X4}" : "unknown";
                reasons.Add(reason);
            }
            return reasons;
        }
        catch (JsonException)
        {
            return [];
        }
    }

    private static string Shorten(string text)
    {
        text = text.ReplaceLineEndings(" ").Trim();
        return text.Length <= MaxDetail ? text : text[..MaxDetail] + "…";
    }
}
