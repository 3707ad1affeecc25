using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using InnerEye.Gateway.Api.Tests.Support;
using InnerEye.Imaging.Tests.Support;

namespace InnerEye.Gateway.Api.Tests.DicomWeb;

/// <summary>
/// The sample Orthanc configuration and Lua script of <c>samples/orthanc/</c> on a real Orthanc: a stable CT series is
/// STOWed to the server "innereye" (here a capturing endpoint), and an RTSTRUCT series is not sent back.
/// </summary>
[Trait("Category", "DicomWeb")]
public sealed class OrthancSampleForwardingTests
{
    private static readonly string Samples = Path.Combine(ExternalProcess.RepositoryRoot, "samples", "orthanc");

    [SkippableFact]
    public async Task The_sample_script_forwards_a_stable_ct_series_and_not_an_rtstruct()
    {
        OrthancServer.Require();
        var sample = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(Samples, "orthanc.json")), documentOptions:
            new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip })!.AsObject();
        Assert.Equal("http://innereye-host:5000/dicomweb/", sample["DicomWeb"]!["Servers"]![OrthancTestBed.ServerName]!["Url"]!.GetValue<string>());
        await using var bed = await OrthancTestBed.StartAsync(stableAge: TimeSpan.FromSeconds(1),
            luaScripts: [Path.Combine(Samples, "forward-stable-series.lua")], baseConfiguration: sample);
        bed.Capture.Reply = request => new CannedReply(200, Body: OrthancTestBed.Accepted(
            DicomMultipart.Split(request.Body, DicomMultipart.Boundary(request.Header("Content-Type")!)).Count));
        var slices = PhantomSlices.Create(seed: 10, slices: 3);

        await bed.UploadAsync(slices);

        var request = Assert.Single(await bed.Capture.WaitForRequestsAsync(1, TimeSpan.FromSeconds(30)));
        Assert.Equal(("POST", "/dicomweb/studies"), (request.Method, request.Target));
        var basic = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{OrthancTestBed.UserName}:{OrthancTestBed.Secret}"));
        Assert.Equal("Basic " + basic, request.Header("Authorization"));
        var parts = DicomMultipart.Split(request.Body, DicomMultipart.Boundary(request.Header("Content-Type")!));
        Assert.Equal(slices.SopInstanceUids.Order(), parts.Select(p => PhantomSlices.Uid(p.Content, Imaging.Dicom.DicomTags.SOPInstanceUID)).Order());
        await WaitForStowJobsAsync(bed.Orthanc, 1);

        var rt = await bed.Orthanc.UploadInstanceAsync(RtStruct(slices.StudyInstanceUid,
            PhantomSlices.Uid(slices.Files[0], Imaging.Dicom.DicomTags.PatientID)));
        await WaitStableAsync(bed.Orthanc, rt.Series);
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.Single(bed.Capture.Requests);
    }

    /// <summary>Waits until Orthanc's STOW jobs (DicomWebStowClient) number <paramref name="count"/> and all succeeded.</summary>
    private static async Task WaitForStowJobsAsync(OrthancServer orthanc, int count)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var jobs = (await orthanc.SendAsync(HttpMethod.Get, "jobs?expand")).Json.EnumerateArray()
                .Where(j => j.GetProperty("Type").GetString() == "DicomWebStowClient").Select(j => j.GetProperty("State").GetString()).ToList();
            if (jobs.Count == count && jobs.All(s => s == "Success")) return;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"STOW jobs: {string.Join(", ", jobs)}\n{orthanc.Output}");
            await Task.Delay(200);
        }
    }

    private static async Task WaitStableAsync(OrthancServer orthanc, string seriesId)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!(await orthanc.SendAsync(HttpMethod.Get, $"series/{seriesId}")).Json.GetProperty("IsStable").GetBoolean())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Series {seriesId} did not become stable.\n{orthanc.Output}");
            await Task.Delay(200);
        }
    }

    /// <summary>A minimal RT Structure Set instance (no ROIs) in the patient's study, written by pydicom.</summary>
    private static byte[] RtStruct(string studyInstanceUid, string patientId)
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("rtstruct.dcm");
        const string script = """
            import sys
            from pydicom.dataset import Dataset, FileMetaDataset
            from pydicom.uid import generate_uid, ExplicitVRLittleEndian
            meta = FileMetaDataset()
            meta.MediaStorageSOPClassUID = '1.2.840.10008.5.1.4.1.1.481.3'
            meta.MediaStorageSOPInstanceUID = generate_uid()
            meta.TransferSyntaxUID = ExplicitVRLittleEndian
            ds = Dataset()
            ds.file_meta = meta
            ds.SOPClassUID = meta.MediaStorageSOPClassUID
            ds.SOPInstanceUID = meta.MediaStorageSOPInstanceUID
            ds.StudyInstanceUID = sys.argv[2]
            ds.SeriesInstanceUID = generate_uid()
            ds.Modality = 'RTSTRUCT'
            ds.PatientID = sys.argv[3]
            ds.StructureSetLabel = 'InnerEye'
            ds.is_little_endian = True
            ds.is_implicit_VR = False
            ds.save_as(sys.argv[1], write_like_original=False)
            """;
        ExternalProcess.Run(ExternalProcess.Python, ["-c", script, path, studyInstanceUid, patientId]);
        return File.ReadAllBytes(path);
    }
}
