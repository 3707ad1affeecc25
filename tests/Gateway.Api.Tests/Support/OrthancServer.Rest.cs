using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace InnerEye.Gateway.Api.Tests.Support;

/// <summary>The calls of Orthanc's REST API the tests make.</summary>
public sealed partial class OrthancServer
{
    /// <summary><c>POST /instances</c>: stores one DICOM file (Orthanc answers Success, or AlreadyStored for a known SOP Instance UID).</summary>
    public async Task<OrthancUpload> UploadInstanceAsync(byte[] dicom)
    {
        using var content = new ByteArrayContent(dicom);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/dicom");
        var answer = await SendAsync(HttpMethod.Post, "instances", content);
        if (answer.Status != HttpStatusCode.OK) throw new InvalidOperationException($"POST /instances answered {answer.Status}: {answer.Body}");
        var json = answer.Json;
        return new OrthancUpload(json.GetProperty("ID").GetString()!, json.GetProperty("ParentSeries").GetString()!,
            json.GetProperty("ParentStudy").GetString()!, json.GetProperty("ParentPatient").GetString()!, json.GetProperty("Status").GetString()!);
    }

    /// <summary>
    /// <c>POST /dicom-web/servers/{name}/stow</c> with <c>{"Resources": [...]}</c> (instance, series, study or patient ids).
    /// Synchronous (the plugin's default): 200 with <c>{"InstancesCount": "n", "NetworkSizeMB": "m"}</c> once the server
    /// accepted every instance, 500 otherwise. Asynchronous: 200 with the job's <c>{"ID", "Path"}</c> at once.
    /// </summary>
    public Task<OrthancAnswer> StowToServerAsync(string serverName, IEnumerable<string> orthancResourceIds, bool synchronous = true)
    {
        var body = new JsonObject { ["Resources"] = new JsonArray([.. orthancResourceIds.Select(id => (JsonNode)id)]),
            ["Synchronous"] = synchronous };
        return SendAsync(HttpMethod.Post, $"dicom-web/servers/{Uri.EscapeDataString(serverName)}/stow", Json(body));
    }

    /// <summary>Orthanc's id of the study with this Study Instance UID (<c>POST /tools/lookup</c>), or null while there is none.</summary>
    public async Task<string?> FindStudyByUidAsync(string studyInstanceUid)
    {
        using var content = new StringContent(studyInstanceUid, Encoding.ASCII, "text/plain");
        var answer = await SendAsync(HttpMethod.Post, "tools/lookup", content);
        if (answer.Status != HttpStatusCode.OK) throw new InvalidOperationException($"POST /tools/lookup answered {answer.Status}: {answer.Body}");
        return answer.Json.EnumerateArray().Where(r => r.GetProperty("Type").GetString() == "Study")
            .Select(r => r.GetProperty("ID").GetString()).FirstOrDefault();
    }

    /// <summary>The instances of a study (<c>/studies/{id}/instances</c>) with their UIDs and modality
    /// (<c>/instances/{id}/simplified-tags</c>).</summary>
    public async Task<IReadOnlyList<OrthancInstance>> ListInstancesAsync(string orthancStudyId)
    {
        var list = await GetJsonAsync($"studies/{orthancStudyId}/instances");
        var instances = new List<OrthancInstance>();
        foreach (var id in list.EnumerateArray().Select(i => i.GetProperty("ID").GetString()!))
        {
            var tags = await GetJsonAsync($"instances/{id}/simplified-tags");
            instances.Add(new OrthancInstance(id, Tag(tags, "SOPClassUID"), Tag(tags, "SOPInstanceUID"), Tag(tags, "SeriesInstanceUID"),
                Tag(tags, "Modality")));
        }
        return instances;
    }

    /// <summary><c>GET /instances/{id}/file</c>: the stored DICOM file.</summary>
    public async Task<byte[]> GetInstanceFileAsync(string orthancInstanceId)
    {
        using var response = await Client.GetAsync($"instances/{orthancInstanceId}/file");
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsByteArrayAsync();
    }

    /// <summary>
    /// Polls the study with this Study Instance UID until its instances satisfy <paramref name="until"/> (for instance: an
    /// RTSTRUCT arrived) and returns them; throws with Orthanc's output when the time is up.
    /// </summary>
    public async Task<IReadOnlyList<OrthancInstance>> WaitForInstancesAsync(string studyInstanceUid,
        Func<IReadOnlyList<OrthancInstance>, bool> until, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        IReadOnlyList<OrthancInstance> instances = [];
        while (DateTime.UtcNow < deadline)
        {
            var study = await FindStudyByUidAsync(studyInstanceUid);
            if (study is not null)
            {
                instances = await ListInstancesAsync(study);
                if (until(instances)) return instances;
            }
            await Task.Delay(250);
        }
        throw new TimeoutException($"Study {studyInstanceUid} in Orthanc did not reach the expected instances within {timeout}; it has " +
            $"{string.Join(", ", instances.Select(i => i.Modality + " " + i.SopInstanceUid))}.\n{Output}");
    }

    /// <summary>Waits until the study has an instance of this modality (RTSTRUCT for a delivered structure set) and returns it.</summary>
    public async Task<OrthancInstance> WaitForModalityAsync(string studyInstanceUid, string modality, TimeSpan timeout)
    {
        var instances = await WaitForInstancesAsync(studyInstanceUid, list => list.Any(i => i.Modality == modality), timeout);
        return instances.First(i => i.Modality == modality);
    }

    /// <summary><c>GET /jobs/{id}</c>: a job's state (Pending, Running, Success, Failure, …), error and content.</summary>
    public Task<JsonElement> GetJobAsync(string jobId) => GetJsonAsync($"jobs/{jobId}");

    /// <summary>Polls a job until it ends (Success or Failure) and returns it.</summary>
    public async Task<JsonElement> WaitForJobAsync(string jobId, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var job = await GetJobAsync(jobId);
            if (job.GetProperty("State").GetString() is "Success" or "Failure") return job;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Orthanc job {jobId} did not end within {timeout}: {job}\n{Output}");
            await Task.Delay(200);
        }
    }

    /// <summary>Sends one request to Orthanc and returns its status and body, whatever the status.</summary>
    public async Task<OrthancAnswer> SendAsync(HttpMethod method, string path, HttpContent? content = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        using var response = await Client.SendAsync(request);
        return new OrthancAnswer(response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private async Task<JsonElement> GetJsonAsync(string path)
    {
        var answer = await SendAsync(HttpMethod.Get, path);
        if (answer.Status != HttpStatusCode.OK) throw new InvalidOperationException($"GET /{path} answered {answer.Status}: {answer.Body}");
        return answer.Json;
    }

    private static StringContent Json(JsonNode body) => new(body.ToJsonString(), Encoding.UTF8, "application/json");

    private static string Tag(JsonElement tags, string name) => tags.TryGetProperty(name, out var v) ? v.GetString() ?? "" : "";
}
