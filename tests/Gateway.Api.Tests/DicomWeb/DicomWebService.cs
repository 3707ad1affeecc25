using System.Net.Http.Json;
using System.Text.Json;
using InnerEye.Gateway.Api.Tests.Support;

namespace InnerEye.Gateway.Api.Tests.DicomWeb;

/// <summary>
/// The real embedded service in its own process, routing CT series to PassThroughModel after a one-second quiet period and
/// delivering the RT to the destination <c>pacs</c>, with short retention and retry delays for tests.
/// </summary>
public static class DicomWebService
{
    public const string Secret = "dicomweb-test-secret";

    public static Dictionary<string, string> Settings(Uri destination, IReadOnlyDictionary<string, string>? overrides = null)
    {
        var settings = new Dictionary<string, string>
        {
            ["Api__AuthSecret"] = Secret,
            ["Segmentation__StartDelay"] = "00:00:00.050",
            ["DicomWeb__SeriesQuietPeriod"] = "00:00:01",
            ["DicomWeb__UnroutedRetention"] = "00:00:03",
            ["DicomWeb__Routes__0__Name"] = "ct-to-passthrough",
            ["DicomWeb__Routes__0__Match__Modality"] = "CT",
            ["DicomWeb__Routes__0__Model"] = "PassThroughModel",
            ["DicomWeb__Routes__0__Destinations__0"] = "pacs",
            ["DicomWeb__Destinations__pacs__Url"] = destination.ToString(),
            ["DicomWeb__Delivery__FirstRetryDelay"] = "00:00:01",
            ["DicomWeb__Delivery__MaxRetryDelay"] = "00:00:02",
        };
        foreach (var (k, v) in overrides ?? new Dictionary<string, string>()) settings[k] = v;
        return settings;
    }

    public static HttpClient Client(ServerProcess service)
    {
        var client = new HttpClient { BaseAddress = service.Address, Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Add("API_AUTH_SECRET", Secret);
        return client;
    }

    /// <summary>Sends the files in one STOW-RS request and returns the status code.</summary>
    public static async Task<int> StowAsync(HttpClient client, IEnumerable<byte[]> files)
    {
        const string boundary = "service-test";
        using var content = new ByteArrayContent(StowSeries.Body(files, boundary));
        content.Headers.TryAddWithoutValidation("Content-Type", StowSeries.ContentType(boundary));
        using var response = await client.PostAsync("/dicomweb/studies", content);
        return (int)response.StatusCode;
    }

    /// <summary>The ids of the segmentations that have a result (an RT Structure Set, <c>results/&lt;id&gt;.dcm</c>; the other forms sit beside
    /// it).</summary>
    public static IReadOnlyList<string> ResultIds(string dataPath)
    {
        var folder = Path.Combine(dataPath, "artifacts", "results");
        return Directory.Exists(folder)
            ? [.. Directory.GetFiles(folder, "*.dcm").Select(f => Path.GetFileNameWithoutExtension(f)).Where(id => !id.Contains('.'))
                .Order(StringComparer.Ordinal)]
            : [];
    }

    public static async Task<JsonElement> StatusAsync(HttpClient client, string id) =>
        await client.GetFromJsonAsync<JsonElement>($"/api/v1/models/PassThroughModel/segmentation/{id}");

    /// <summary>Polls until <paramref name="until"/> holds of the results (or fails with what there was).</summary>
    public static async Task<IReadOnlyList<string>> WaitForResultsAsync(string dataPath, Func<IReadOnlyList<string>, bool> until, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var ids = ResultIds(dataPath);
            if (until(ids)) return ids;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Results after {timeout}: {string.Join(", ", ids)}.");
            await Task.Delay(200);
        }
    }

    /// <summary>Polls the job's status until its delivery to <c>pacs</c> has the state.</summary>
    public static async Task<JsonElement> WaitForDeliveryAsync(HttpClient client, string id, string state, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var status = await StatusAsync(client, id);
            if (status.TryGetProperty("deliveries", out var deliveries) && deliveries.GetArrayLength() == 1 &&
                deliveries[0].GetProperty("state").GetString() == state)
            {
                return status;
            }

            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Delivery of {id} not {state} after {timeout}: {status}");
            await Task.Delay(200);
        }
    }
}
