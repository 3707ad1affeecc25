using System.Net;
using System.Text;
using InnerEye.Gateway.Api.Tests.Support;

namespace InnerEye.Gateway.Api.Tests.DicomWeb;

/*
 * What Orthanc 1.10.1 with its DICOMweb plugin 1.7 (Debian packages) sends when it STOWs to a configured DICOMweb
 * server (POST /dicom-web/servers/{name}/stow with {"Resources": [ids]}), as these tests observe it on the socket:
 *
 * - One HTTP/1.1 request for all the instances of the resources (12 instances in one request: no splitting).
 * - POST {server Url}studies: for Url "http://host/dicomweb/" the request target is "/dicomweb/studies".
 * - Content-Type: multipart/related; type="application/dicom"; boundary=<uuid>-<uuid>   (type quoted, boundary not).
 * - Accept: application/dicom+json.  No Expect header.  Host: the server's host:port.
 * - Authorization: Basic base64(Username:Password) from the server entry, sent on the first request (no challenge).
 * - Transfer-Encoding: chunked and no Content-Length by default; with "ChunkedTransfers": false on the server entry,
 *   a Content-Length and no chunking.
 * - Each part: "--boundary" CRLF, exactly two headers "Content-Type: application/dicom" and "Content-Length: <n>",
 *   CRLF CRLF, the stored DICOM file byte for byte (with its preamble and file meta), CRLF. The body ends with
 *   "--boundary--" and no CRLF after it.
 *
 * What Orthanc makes of the answer (the stow route is synchronous unless the body says "Synchronous": false):
 * - Success only for a 2xx status (200 and 202 alike) whose body is a JSON object with a ReferencedSOPSequence
 *   (00081199) of exactly as many items as instances sent, and no item in FailedSOPSequence (00081198). The
 *   answer's Content-Type does not matter. The route then answers 200 {"InstancesCount": "n", "NetworkSizeMB": "m"}.
 * - Anything else fails: "{}", an empty body, 204, fewer referenced items, a FailedSOPSequence item, 400, 409, 500.
 *   The route then answers 500 with Orthanc's error object ("Error encountered within the plugin engine"), whatever
 *   the remote status was; the reason is only in Orthanc's log. Orthanc does not retry: one request per call.
 * - With "Synchronous": false the route answers 200 {"ID": job, "Path": ...} at once; the DicomWebStowClient job ends
 *   Success, or Failure with ErrorCode 1 and Content.FunctionErrorDescription ("Error in the network protocol" for
 *   409/500 or a refused instance, "Bad request" for 400, "Bad file format" for an empty body).
 */

/// <summary>What Orthanc's DICOMweb client sends when it STOWs to a server, and how it judges the answer.</summary>
[Trait("Category", "DicomWeb")]
public sealed class OrthancClientShapeTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [SkippableFact]
    public async Task Stow_is_one_chunked_multipart_post_with_basic_auth()
    {
        OrthancServer.Require();
        await using var bed = await OrthancTestBed.StartAsync();
        var slices = PhantomSlices.Create(seed: 3, slices: 12);
        var series = await bed.UploadAsync(slices);
        bed.Capture.Reply = _ => new CannedReply(200, Body: OrthancTestBed.Accepted(12));

        var answer = await bed.Orthanc.StowToServerAsync(OrthancTestBed.ServerName, [series]);

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal("12", answer.Json.GetProperty("InstancesCount").GetString());
        var request = Assert.Single(bed.Capture.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal("/dicomweb/studies", request.Target);
        Assert.Matches("^multipart/related; type=\"application/dicom\"; boundary=[0-9a-f-]+$", request.Header("Content-Type"));
        Assert.Equal("application/dicom+json", request.Header("Accept"));
        var basic = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{OrthancTestBed.UserName}:{OrthancTestBed.Secret}"));
        Assert.Equal("Basic " + basic, request.Header("Authorization"));
        Assert.Null(request.Header("Expect"));
        Assert.True(request.Chunked);
        Assert.Null(request.Header("Content-Length"));
        var boundary = DicomMultipart.Boundary(request.Header("Content-Type")!);
        Assert.EndsWith($"--{boundary}--", Encoding.ASCII.GetString(request.Body));
        var parts = DicomMultipart.Split(request.Body, boundary);
        Assert.Equal(12, parts.Count);
        foreach (var (headers, content) in parts)
        {
            Assert.Equal(
                [new("Content-Type", "application/dicom"), new("Content-Length",
                    content.Length.ToString(System.Globalization.CultureInfo.InvariantCulture))],
                headers);
            Assert.Contains(slices.Files, f => f.AsSpan().SequenceEqual(content));
        }
    }

    [SkippableFact]
    public async Task Without_chunked_transfers_the_request_has_a_content_length()
    {
        OrthancServer.Require();
        await using var bed = await OrthancTestBed.StartAsync(chunkedTransfers: false);
        var series = await bed.UploadAsync(PhantomSlices.Create(seed: 4, slices: 2));
        bed.Capture.Reply = _ => new CannedReply(200, Body: OrthancTestBed.Accepted(2));

        var answer = await bed.Orthanc.StowToServerAsync(OrthancTestBed.ServerName, [series]);

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        var request = Assert.Single(bed.Capture.Requests);
        Assert.False(request.Chunked);
        Assert.Equal(request.Body.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), request.Header("Content-Length"));
        Assert.Equal(2, DicomMultipart.Split(request.Body, DicomMultipart.Boundary(request.Header("Content-Type")!)).Count);
    }

    private static readonly (int Status, string ContentType, string Body, bool Success)[] Answers =
    [
        (200, "application/dicom+json", OrthancTestBed.Accepted(3), true),
        (202, "application/dicom+json", OrthancTestBed.Accepted(3), true),
        (200, "application/json", OrthancTestBed.Accepted(3), true),
        (200, "application/dicom+json", "{}", false),
        (200, "application/dicom+json", "", false),
        (204, "application/dicom+json", "", false),
        (200, "application/dicom+json", OrthancTestBed.Accepted(2), false),
        (200, "application/dicom+json", """{"00081199":{"vr":"SQ","Value":[{},{},{}]},"00081198":{"vr":"SQ","Value":[{}]}}""", false),
        (409, "application/dicom+json", OrthancTestBed.Accepted(3), false),
        (400, "application/json", "{}", false),
        (500, "application/json", "{}", false),
    ];

    [SkippableFact]
    public async Task Orthanc_succeeds_only_on_a_2xx_that_references_every_instance()
    {
        OrthancServer.Require();
        await using var bed = await OrthancTestBed.StartAsync();
        var series = await bed.UploadAsync(PhantomSlices.Create(seed: 5, slices: 3));
        foreach (var (status, contentType, body, success) in Answers)
        {
            bed.Capture.Clear();
            bed.Capture.Reply = _ => new CannedReply(status, contentType, body);

            var answer = await bed.Orthanc.StowToServerAsync(OrthancTestBed.ServerName, [series]);

            var what = $"remote {status} {contentType} '{body}' -> Orthanc {(int)answer.Status} {answer.Body}";
            Assert.True(bed.Capture.Requests.Count == 1, what);
            Assert.True(answer.Status == (success ? HttpStatusCode.OK : HttpStatusCode.InternalServerError), what);
            if (success) Assert.True(answer.Json.GetProperty("InstancesCount").GetString() == "3", what);
            else Assert.True(answer.Json.GetProperty("Message").GetString() == "Error encountered within the plugin engine", what);
        }
    }

    [SkippableFact]
    public async Task Asynchronous_stow_answers_a_job_that_ends_with_the_remote_verdict()
    {
        OrthancServer.Require();
        await using var bed = await OrthancTestBed.StartAsync();
        var series = await bed.UploadAsync(PhantomSlices.Create(seed: 6, slices: 2));
        foreach (var (status, body, state, description) in new[]
                 {
                     (200, OrthancTestBed.Accepted(2), "Success", (string?)null),
                     (500, "{}", "Failure", "Error in the network protocol"),
                     (400, "{}", "Failure", "Bad request"),
                 })
        {
            bed.Capture.Reply = _ => new CannedReply(status, Body: body);

            var answer = await bed.Orthanc.StowToServerAsync(OrthancTestBed.ServerName, [series], synchronous: false);

            Assert.Equal(HttpStatusCode.OK, answer.Status);
            var id = answer.Json.GetProperty("ID").GetString()!;
            Assert.EndsWith("/jobs/" + id, answer.Json.GetProperty("Path").GetString());
            var job = await bed.Orthanc.WaitForJobAsync(id, Wait);
            Assert.Equal("DicomWebStowClient", job.GetProperty("Type").GetString());
            Assert.Equal(state, job.GetProperty("State").GetString());
            Assert.Equal("2", job.GetProperty("Content").GetProperty("InstancesCount").GetString());
            if (description is not null)
            {
                Assert.Equal(1, job.GetProperty("ErrorCode").GetInt32());
                Assert.Equal(description, job.GetProperty("Content").GetProperty("FunctionErrorDescription").GetString());
            }
        }
    }
}
