using System.Diagnostics;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace InnerEye.Gateway.Api.Tests.Adversarial;

/// <summary>
/// Submits an upload through one route family and polls its job (every 100 ms) until it ends or
/// <paramref name="jobBound"/> passes; a completed job's result is downloaded, a failed one's code read from the status.
/// </summary>
public sealed class UploadDriver(HttpClient client, TimeSpan jobBound)
{
    public const string InnerEyeModel = "PassThroughModel:1729", SeedModel = "PassThroughModel";
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);

    public async Task<UploadOutcome> RunAsync(HostileCase upload, RouteFamily route)
    {
        var clock = Stopwatch.StartNew();
        var errors = new List<string>();
        var submit = route == RouteFamily.InnerEye
            ? await SubmitAsync($"/v1/model/start/{InnerEyeModel}", upload.Upload, errors)
            : await SubmitAsync($"/api/v1/models/{SeedModel}/segmentation", upload.Upload, errors);
        UploadOutcome Outcome(string? id, UploadEnd end, string? code, string? detail, bool result = false) =>
            new(upload, route, submit.Status, id, end, code, detail, result, clock.Elapsed, errors);

        if (submit.Status != (int)HttpStatusCode.Created)
        {
            var end = submit.Status is >= 400 and < 500 ? UploadEnd.Refused : UploadEnd.Broken;
            return Outcome(null, end, TitleOf(submit.Body), submit.Body);
        }
        var id = route == RouteFamily.InnerEye ? submit.Body : JsonDocument.Parse(submit.Body).RootElement.GetProperty("segmentationId").GetString()!;
        try
        {
            return route == RouteFamily.InnerEye ? await PollInnerEyeAsync(id, clock, errors, Outcome)
                : await PollSeedAsync(id, clock, errors, Outcome);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException)
        {
            return Outcome(id, UploadEnd.Broken, null, $"{e.GetType().Name}: {e.Message}");
        }
    }

    private delegate UploadOutcome OutcomeOf(string? id, UploadEnd end, string? code, string? detail, bool result = false);

    private async Task<UploadOutcome> PollInnerEyeAsync(string id, Stopwatch clock, List<string> errors, OutcomeOf outcome)
    {
        while (clock.Elapsed < jobBound)
        {
            using var response = await client.GetAsync($"/v1/model/results/{id}");
            var body = await response.Content.ReadAsByteArrayAsync();
            var status = (int)response.StatusCode;
            if (status == (int)HttpStatusCode.Accepted)
            {
                await Task.Delay(PollInterval);
                continue;
            }
            if (status >= 500) errors.Add($"GET /v1/model/results → {status}: {UploadOutcome.Shorten(System.Text.Encoding.UTF8.GetString(body))}");
            var (state, code, detail) = await StatusAsync(InnerEyeModel, id, errors);
            if (status == (int)HttpStatusCode.OK) return outcome(id, UploadEnd.Completed, code, detail, IsResultZip(body));
            var end = state switch
            {
                "failed" => UploadEnd.Failed,
                "cancelled" => UploadEnd.Cancelled,
                "completed" => UploadEnd.Completed,
                _ => UploadEnd.Broken,
            };
            return outcome(id, end, code, detail ?? $"results answered {status} with the job {state}");
        }
        return outcome(id, UploadEnd.Hung, null, $"not ended after {jobBound.TotalSeconds} s");
    }

    private async Task<UploadOutcome> PollSeedAsync(string id, Stopwatch clock, List<string> errors, OutcomeOf outcome)
    {
        while (clock.Elapsed < jobBound)
        {
            var (state, code, detail) = await StatusAsync(SeedModel, id, errors);
            switch (state)
            {
                case "queued" or "running":
                    await Task.Delay(PollInterval);
                    continue;
                case "completed":
                {
                    using var response = await client.GetAsync($"/api/v1/models/{SeedModel}/segmentation/{id}/result");
                    var body = await response.Content.ReadAsByteArrayAsync();
                    if ((int)response.StatusCode >= 500) errors.Add($"GET …/result → {(int)response.StatusCode}");
                    return outcome(id, UploadEnd.Completed, code, detail, response.StatusCode == HttpStatusCode.OK && IsResultZip(body));
                }
                case "failed" or "cancelled":
                {
                    using var response = await client.GetAsync($"/api/v1/models/{SeedModel}/segmentation/{id}/result");
                    if ((int)response.StatusCode >= 500) errors.Add($"GET …/result of a {state} job → {(int)response.StatusCode}");
                    return outcome(id, state == "failed" ? UploadEnd.Failed : UploadEnd.Cancelled, code, detail);
                }
                default:
                    return outcome(id, UploadEnd.Broken, code, $"status '{state}'");
            }
        }
        return outcome(id, UploadEnd.Hung, null, $"not ended after {jobBound.TotalSeconds} s");
    }

    private async Task<(int Status, string Body)> SubmitAsync(string path, byte[] upload, List<string> errors)
    {
        var content = new ByteArrayContent(upload);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/zip");
        try
        {
            using var response = await client.PostAsync(path, content);
            var body = await response.Content.ReadAsStringAsync();
            if ((int)response.StatusCode >= 500) errors.Add($"POST {path} → {(int)response.StatusCode}: {UploadOutcome.Shorten(body)}");
            return ((int)response.StatusCode, body);
        }
        catch (HttpRequestException e)
        {
            return (0, $"no answer: {e.Message}");
        }
    }

    /// <summary>The job's status, error code and detail from the seed status route.</summary>
    private async Task<(string? State, string? Code, string? Detail)> StatusAsync(string model, string id, List<string>? errors = null)
    {
        using var response = await client.GetAsync($"/api/v1/models/{model}/segmentation/{id}");
        var text = await response.Content.ReadAsStringAsync();
        if ((int)response.StatusCode >= 500) errors?.Add($"GET status → {(int)response.StatusCode}: {UploadOutcome.Shorten(text)}");
        if (response.StatusCode != HttpStatusCode.OK) return (null, null, $"status answered {(int)response.StatusCode}: {text}");
        var status = JsonDocument.Parse(text).RootElement;
        var error = status.GetProperty("error");
        return error.ValueKind == JsonValueKind.Object
            ? (status.GetProperty("status").GetString(), error.GetProperty("code").GetString(), error.GetProperty("detail").GetString())
            : (status.GetProperty("status").GetString(), null, null);
    }

    private static string? TitleOf(string body)
    {
        try
        {
            return JsonDocument.Parse(body).RootElement.TryGetProperty("title", out var title) ? title.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>A zip with one entry, segmentation.dcm, holding a Part 10 file.</summary>
    private static bool IsResultZip(byte[] body)
    {
        try
        {
            using var archive = new ZipArchive(new MemoryStream(body), ZipArchiveMode.Read);
            if (archive.Entries is not [{ FullName: "segmentation.dcm" } entry]) return false;
            using var stream = entry.Open();
            var head = new byte[132];
            return stream.ReadAtLeast(head, 132, throwOnEndOfStream: false) == 132 && head.AsSpan(128).SequenceEqual("DICM"u8);
        }
        catch (InvalidDataException)
        {
            return false;
        }
    }
}
