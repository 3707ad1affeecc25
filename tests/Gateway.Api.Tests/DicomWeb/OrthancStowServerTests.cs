using System.Net;
using System.Text.Json;
using InnerEye.Gateway.Api.Tests.Support;
using InnerEye.Imaging.Tests.Support;

namespace InnerEye.Gateway.Api.Tests.DicomWeb;

/*
 * Orthanc 1.10.1's own STOW-RS server (DICOMweb plugin 1.7, POST /dicom-web/studies), a destination the service
 * delivers to, as these tests observe it:
 *
 * - A new instance: 200, Content-Type application/dicom+json; 00081190 (RetrieveURL) the study's URL; 00081199
 *   (ReferencedSOPSequence) one item per stored part with 00081150 (SOP Class UID), 00081155 (SOP Instance UID) and
 *   00081190 (the instance's URL); 00081198 (FailedSOPSequence) present as {"vr": "SQ"} with no Value.
 * - The same SOP Instance UID again: the same 200 answer, instance referenced, not failed; Orthanc keeps one copy.
 * - A part that is not DICOM next to a good one: 400 without Content-Type; the good part is stored and referenced in
 *   00081199; the bad part is listed nowhere (00081198 has no Value).
 * - Only a part that is not DICOM: 400; 00081199 and 00081198 both without Value, no 00081190.
 * - type=application/dicom unquoted in the Content-Type is accepted as well (200).
 * - POST /dicom-web/studies/{other study UID}: 409; the instance is in 00081198 with 00081197 (FailureReason) 272
 *   (0x0110, processing failure) and is not stored.
 * - A bare application/dicom body (not multipart): 415.
 */

/// <summary>Orthanc's own STOW-RS server, which the service delivers structure sets to.</summary>
[Trait("Category", "DicomWeb")]
public sealed class OrthancStowServerTests
{
    private const string ReferencedSop = "00081199";
    private const string FailedSop = "00081198";

    [SkippableFact]
    public async Task Stow_answers_and_keeps_new_duplicate_and_bad_parts_as_recorded()
    {
        OrthancServer.Require();
        using var dir = new TempDirectory();
        await using var orthanc = new OrthancServer(dir.Combine("orthanc"), FreePorts.Next());
        await orthanc.StartAsync();
        var slices = PhantomSlices.Create(seed: 7, slices: 3);

        var first = await StowAsync(orthanc, "dicom-web/studies", [slices.Files[0]]);
        Assert.Equal(HttpStatusCode.OK, first.Status);
        Assert.Equal("application/dicom+json", first.ContentType);
        AssertReferenced(first.Json, slices.SopInstanceUids[0]);
        Assert.Equal("1.2.840.10008.5.1.4.1.1.2", Values(first.Json, ReferencedSop)[0].GetProperty("00081150").GetProperty("Value")[0].GetString());
        Assert.EndsWith($"/dicom-web/studies/{slices.StudyInstanceUid}", first.Json.GetProperty("00081190").GetProperty("Value")[0].GetString());
        Assert.Empty(Values(first.Json, FailedSop));

        var again = await StowAsync(orthanc, "dicom-web/studies", [slices.Files[0]]);
        Assert.Equal(HttpStatusCode.OK, again.Status);
        AssertReferenced(again.Json, slices.SopInstanceUids[0]);
        Assert.Empty(Values(again.Json, FailedSop));

        var mixed = await StowAsync(orthanc, "dicom-web/studies", ["not a DICOM file"u8.ToArray(), slices.Files[1]]);
        Assert.Equal(HttpStatusCode.BadRequest, mixed.Status);
        Assert.Null(mixed.ContentType);
        AssertReferenced(mixed.Json, slices.SopInstanceUids[1]);
        Assert.Empty(Values(mixed.Json, FailedSop));

        var bad = await StowAsync(orthanc, "dicom-web/studies", ["not a DICOM file"u8.ToArray()]);
        Assert.Equal(HttpStatusCode.BadRequest, bad.Status);
        Assert.Empty(Values(bad.Json, ReferencedSop));
        Assert.Empty(Values(bad.Json, FailedSop));
        Assert.False(bad.Json.TryGetProperty("00081190", out _));

        var unquoted = await StowAsync(orthanc, "dicom-web/studies", [slices.Files[2]], "multipart/related; type=application/dicom; boundary={0}");
        Assert.Equal(HttpStatusCode.OK, unquoted.Status);
        AssertReferenced(unquoted.Json, slices.SopInstanceUids[2]);

        var stored = await orthanc.ListInstancesAsync((await orthanc.FindStudyByUidAsync(slices.StudyInstanceUid))!);
        Assert.Equal(slices.SopInstanceUids.Order(), stored.Select(i => i.SopInstanceUid).Order());
        Assert.All(stored, i => Assert.Equal(("CT", slices.SeriesInstanceUid), (i.Modality, i.SeriesInstanceUid)));
    }

    [SkippableFact]
    public async Task Stow_to_another_study_is_a_conflict_and_a_bare_dicom_body_is_unsupported()
    {
        OrthancServer.Require();
        using var dir = new TempDirectory();
        await using var orthanc = new OrthancServer(dir.Combine("orthanc"), FreePorts.Next());
        await orthanc.StartAsync();
        var slices = PhantomSlices.Create(seed: 8, slices: 1);

        var conflict = await StowAsync(orthanc, "dicom-web/studies/1.2.3.4", [slices.Files[0]]);
        Assert.Equal(HttpStatusCode.Conflict, conflict.Status);
        var failed = Assert.Single(Values(conflict.Json, FailedSop));
        Assert.Equal(slices.SopInstanceUids[0], failed.GetProperty("00081155").GetProperty("Value")[0].GetString());
        Assert.Equal(0x0110, failed.GetProperty("00081197").GetProperty("Value")[0].GetInt32());
        Assert.Empty(Values(conflict.Json, ReferencedSop));
        Assert.Null(await orthanc.FindStudyByUidAsync(slices.StudyInstanceUid));

        using var bare = new ByteArrayContent(slices.Files[0]);
        bare.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/dicom");
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, (await orthanc.SendAsync(HttpMethod.Post, "dicom-web/studies", bare)).Status);
    }

    private static async Task<(HttpStatusCode Status, string? ContentType, JsonElement Json)> StowAsync(OrthancServer orthanc, string path,
        IEnumerable<byte[]> parts, string contentTypeFormat = "multipart/related; type=\"application/dicom\"; boundary={0}")
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = DicomMultipart.Build(parts, contentTypeFormat) };
        request.Headers.Add("Accept", "application/dicom+json");
        using var response = await orthanc.Client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, response.Content.Headers.ContentType?.MediaType, JsonDocument.Parse(body).RootElement.Clone());
    }

    private static IReadOnlyList<JsonElement> Values(JsonElement answer, string tag)
    {
        var sequence = answer.GetProperty(tag);
        Assert.Equal("SQ", sequence.GetProperty("vr").GetString());
        return sequence.TryGetProperty("Value", out var value) ? [.. value.EnumerateArray()] : [];
    }

    private static void AssertReferenced(JsonElement answer, string sopInstanceUid)
    {
        var item = Assert.Single(Values(answer, ReferencedSop));
        Assert.Equal(sopInstanceUid, item.GetProperty("00081155").GetProperty("Value")[0].GetString());
        Assert.EndsWith($"/instances/{sopInstanceUid}", item.GetProperty("00081190").GetProperty("Value")[0].GetString());
    }
}
