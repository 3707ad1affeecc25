using System.Text.Json;
using InnerEye.Gateway.Api.Audit;
using InnerEye.Gateway.Api.Hosting;
using InnerEye.Gateway.Api.Routes;
using InnerEye.Grains;
using InnerEye.Grains.Artifacts;
using InnerEye.Grains.Audit;
using InnerEye.Grains.DicomWeb;
using Microsoft.Extensions.Options;

namespace InnerEye.Gateway.Api.DicomWeb;

/// <summary>
/// DICOMweb under <c>/dicomweb/</c> (a client's base URL is <c>http://host/dicomweb/</c>): STOW-RS to receive studies,
/// and QIDO-RS / WADO-RS over the results this service made (it is not an archive: received instances are not served).
/// </summary>
public static class DicomWebRoutes
{
    public const string BasePath = "/dicomweb";

    public static IEndpointRouteBuilder MapDicomWebRoutes(this IEndpointRouteBuilder app)
    {
        var web = app.MapGroup(BasePath).WithTags("dicomweb");
        web.MapPost("/studies", (HttpRequest request, StowReceiver receiver, IOptions<ApiOptions> api, CancellationToken ct) =>
                StoreAsync(request, null, receiver, api, ct))
            .Audited(AuditActions.Stow)
            .WithSummary("STOW-RS: stores the DICOM files of a multipart/related body; each series is routed to a model once complete.");
        web.MapPost("/studies/{study}", (string study, HttpRequest request, StowReceiver receiver, IOptions<ApiOptions> api, CancellationToken ct) =>
                StoreAsync(request, study, receiver, api, ct))
            .Audited(AuditActions.Stow)
            .WithSummary("STOW-RS into one study: instances of another study fail with FailureReason 0xA900.");
        web.MapGet("/studies/{study}/series", SearchSeriesAsync)
            .Audited(AuditActions.Status)
            .WithSummary("QIDO-RS: the result series (RT Structure Sets) this service made for the study.");
        web.MapGet("/studies/{study}/series/{series}", (string study, string series, HttpContext context, StudyResults results, IArtifactStore store,
                CancellationToken ct) => RetrieveAsync(study, series, null, context, results, store, ct))
            .Audited(AuditActions.Download)
            .WithSummary("WADO-RS: a result series as multipart/related; type=\"application/dicom\".");
        web.MapGet("/studies/{study}/series/{series}/instances/{instance}", (string study, string series, string instance, HttpContext context,
                StudyResults results, IArtifactStore store, CancellationToken ct) =>
                    RetrieveAsync(study, series, instance, context, results, store, ct))
            .Audited(AuditActions.Download)
            .WithSummary("WADO-RS: a result instance as multipart/related; type=\"application/dicom\".");
        return app;
    }

    /// <summary>The DICOMweb base URL as the client reached it, ending in '/'.</summary>
    public static string BaseUrl(HttpRequest request) => $"{request.Scheme}://{request.Host}{request.PathBase}{BasePath}/";

    private static async Task<IResult> StoreAsync(HttpRequest request, string? study, StowReceiver receiver, IOptions<ApiOptions> api,
        CancellationToken ct)
    {
        StowResult result;
        var audit = AuditScope.Of(request.HttpContext);
        var hasher = request.HttpContext.RequestServices.GetRequiredService<StudyHasher>();
        if (study is not null) audit.StudyHash = hasher.Hash(study);
        try
        {
            result = await receiver.ReceiveAsync(request, study, ct);
        }
        catch (UnsupportedStowMediaTypeException e)
        {
            return ApiErrors.Result(StatusCodes.Status415UnsupportedMediaType, "UnsupportedMediaType", e.Message);
        }
        catch (Exception e) when (SubmitErrors.ToResult(e, api.Value.RetryAfterSeconds) is { } error)
        {
            return error;
        }
        // One study's requests carry its hash; a request of several studies has none (the field holds one).
        if (study is null && result.Parts.Select(p => p.StudyInstanceUid).Where(u => u is not null).Distinct().ToList() is [{ } only])
            audit.StudyHash = hasher.Hash(only);
        audit.Outcome = result.StatusCode switch
        {
            StatusCodes.Status200OK => AuditActions.Ok,
            StatusCodes.Status202Accepted => $"stored {result.Parts.Count(p => p.Stored)} of {result.Parts.Count}",
            _ => "none stored",
        };
        return new DicomJsonResult(StowResponse.Json(result, BaseUrl(request), study), result.StatusCode);
    }

    private static async Task<IResult> SearchSeriesAsync(string study, HttpRequest request, StudyResults results, StudyHasher hasher,
        CancellationToken ct)
    {
        var series = await results.ListAsync(study, ct);
        Touched(request.HttpContext, study, series, hasher);
        if (series.Count == 0) return Results.NoContent();
        var baseUrl = BaseUrl(request);
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartArray();
            foreach (var s in series)
            {
                w.WriteStartObject();
                DicomJson.String(w, "00080060", "CS", s.Modality);
                DicomJson.String(w, "00081190", "UR",
                    $"{baseUrl}studies/{Uri.EscapeDataString(study)}/series/{Uri.EscapeDataString(s.SeriesInstanceUid)}");
                DicomJson.String(w, "0008103E", "LO", s.SeriesDescription);
                DicomJson.String(w, "0020000D", "UI", s.StudyInstanceUid);
                DicomJson.String(w, "0020000E", "UI", s.SeriesInstanceUid);
                DicomJson.String(w, "00200011", "IS", s.SeriesNumber);
                DicomJson.Number(w, "00201209", "IS", 1);
                w.WriteEndObject();
            }
            w.WriteEndArray();
        }
        return new DicomJsonResult(buffer.ToArray(), StatusCodes.Status200OK);
    }

    private static async Task<IResult> RetrieveAsync(string study, string series, string? instance, HttpContext context, StudyResults results,
        IArtifactStore store, CancellationToken ct)
    {
        if (!AcceptsDicomParts(context.Request))
        {
            return ApiErrors.Result(StatusCodes.Status406NotAcceptable, "NotAcceptable",
                "WADO-RS answers with multipart/related; type=\"application/dicom\" only.");
        }
        var found = (await results.ListAsync(study, ct))
            .Where(r => r.SeriesInstanceUid == series && (instance is null || r.SopInstanceUid == instance))
            .ToList();
        Touched(context, study, found, context.RequestServices.GetRequiredService<StudyHasher>());
        var files = found.Select(r => r.File).ToList();
        if (files.Count == 0)
        {
            return ApiErrors.Result(StatusCodes.Status404NotFound, "NotFound",
                "This service holds no result with those UIDs (it serves the results it made, not the instances it received).");
        }
        return new MultipartDicomResult([.. files.Select<ArtifactRef, Func<Stream>>(f => () => store.OpenRead(f))]);
    }

    /// <summary>The audit record of a QIDO or WADO request: the study's hash, and the job when the results are one job's.</summary>
    private static void Touched(HttpContext context, string study, IReadOnlyList<ResultSeries> results, StudyHasher hasher)
    {
        var audit = AuditScope.Of(context);
        audit.StudyHash = hasher.Hash(study);
        if (results.Select(r => r.SegmentationId).Distinct().ToList() is [{ } id]) audit.SegmentationId = id;
    }

    private static bool AcceptsDicomParts(HttpRequest request)
    {
        var accept = request.GetTypedHeaders().Accept;
        if (accept.Count == 0) return true;
        return accept.Any(a => a.MediaType.Value is "*/*" or "multipart/*" ||
            a.MediaType.Equals("multipart/related", StringComparison.OrdinalIgnoreCase) &&
            a.Parameters.FirstOrDefault(p => p.Name.Equals("type", StringComparison.OrdinalIgnoreCase)) is not { } type ||
            a.MediaType.Equals("multipart/related", StringComparison.OrdinalIgnoreCase) &&
            Microsoft.Net.Http.Headers.HeaderUtilities.RemoveQuotes(
                    a.Parameters.First(p => p.Name.Equals("type", StringComparison.OrdinalIgnoreCase)).Value)
                .Equals(StowContentType.Dicom, StringComparison.OrdinalIgnoreCase));
    }

    private sealed class DicomJsonResult(byte[] body, int status) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.StatusCode = status;
            httpContext.Response.ContentType = DicomJson.MediaType;
            httpContext.Response.ContentLength = body.Length;
            return httpContext.Response.Body.WriteAsync(body).AsTask();
        }
    }

    private sealed class MultipartDicomResult(IReadOnlyList<Func<Stream>> files) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            using var content = MultipartRelated.Content(files);
            httpContext.Response.StatusCode = StatusCodes.Status200OK;
            httpContext.Response.ContentType = content.Headers.ContentType!.ToString();
            await content.CopyToAsync(httpContext.Response.Body, httpContext.RequestAborted);
        }
    }
}
