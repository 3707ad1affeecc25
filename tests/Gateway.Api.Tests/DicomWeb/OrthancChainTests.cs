using System.Text.RegularExpressions;
using InnerEye.Gateway.Api.Tests.Support;
using InnerEye.Grains.DicomWeb;
using InnerEye.Imaging.Dicom;
using InnerEye.Imaging.Tests.Support;
using Xunit.Abstractions;

namespace InnerEye.Gateway.Api.Tests.DicomWeb;

/// <summary>
/// The hospital chain with a real Orthanc: studies uploaded into Orthanc, sent by Orthanc's own DICOMweb client to the
/// service, routed, segmented, and the RT Structure Set delivered back into the same Orthanc study.
/// </summary>
[Trait("Category", "DicomWeb")]
public sealed class OrthancChainTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);

    [SkippableFact]
    public async Task TwoStudiesSentAtOnceComeBackAsRtInTheirStudies_AnUnmatchedMrSeriesIsDroppedAfterItsRetention()
    {
        OrthancServer.Require();
        using var dir = new TempDirectory();
        var servicePort = FreePorts.Next();
        await using var orthanc = new OrthancServer(dir.Combine("orthanc"), FreePorts.Next())
        {
            DicomWebServers = { ["innereye"] = new OrthancDicomWebServer(new Uri($"http://127.0.0.1:{servicePort}/dicomweb/"), "orthanc",
                DicomWebService.Secret) },
        };
        await orthanc.StartAsync();
        var data = dir.Combine("service");
        // The rule delivers the RT Structure Set and the BINARY DICOM Segmentation, in one STOW-RS request.
        await using var service = await ServerProcess.StartAsync(servicePort, data, DicomWebService.Settings(orthanc.DicomWebRoot,
            new Dictionary<string, string> { ["DicomWeb__Routes__0__Formats__0"] = "rtstruct", ["DicomWeb__Routes__0__Formats__1"] = "seg" }));
        try
        {
            var first = StowSeries.Slices(seed: 61, size: 48, slices: 4);
            var second = StowSeries.Slices(seed: 62, size: 48, slices: 5);
            var secondStudy = StowSeries.Uid(second[0], DicomTags.StudyInstanceUID);
            var mr = StowSeries.Slices(seed: 63, size: 48, slices: 3, modality: "MR", study: secondStudy);
            var studies = new List<string>();
            foreach (var series in new[] { first, second, mr })
            {
                foreach (var file in series) studies.Add((await orthanc.UploadInstanceAsync(file)).Study);
            }

            // Orthanc sends both studies (the MR series with the second) in one call of its DICOMweb client.
            var sent = await orthanc.StowToServerAsync("innereye", studies.Distinct());
            Assert.True(sent.Status == System.Net.HttpStatusCode.OK, $"Orthanc's STOW to the service: {sent.Status} {sent.Body}\n{service.Output}");

            foreach (var series in new[] { first, second })
            {
                var study = StowSeries.Uid(series[0], DicomTags.StudyInstanceUID);
                var rt = await orthanc.WaitForModalityAsync(study, "RTSTRUCT", Timeout);
                var held = await orthanc.WaitForInstancesAsync(study, _ => true, Timeout);
                CheckRt(await orthanc.GetInstanceFileAsync(rt.Id), series, held, dir);
                var seg = Assert.Single(held, i => i.Modality == "SEG");
                Assert.Equal("1.2.840.10008.5.1.4.1.1.66.4", seg.SopClassUid);
            }

            var ids = DicomWebService.ResultIds(data);
            Assert.Equal(2, ids.Count);
            using var client = DicomWebService.Client(service);
            foreach (var id in ids)
            {
                var status = await DicomWebService.WaitForDeliveryAsync(client, id, "delivered", Timeout);
                Assert.Equal("ct-to-passthrough", status.GetProperty("origin").GetProperty("rule").GetString());
                Assert.Equal(["rtstruct", "seg"], status.GetProperty("origin").GetProperty("formats").EnumerateArray().Select(f => f.GetString()));
                Assert.Equal(1, status.GetProperty("deliveries")[0].GetProperty("attempts").GetInt32());
            }

            // The MR series matched no rule: kept for its retention (3 s), then deleted, with no job and no RT.
            var mrFolder = Path.Combine(data, "artifacts", IntakeKeys.SeriesFolder(StowSeries.Uid(mr[0], DicomTags.SeriesInstanceUID)));
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
            while (Directory.Exists(mrFolder) && DateTime.UtcNow < deadline) await Task.Delay(200);
            Assert.False(Directory.Exists(mrFolder), $"the unrouted MR series is still kept\n{service.Output}");
            Assert.Equal(2, DicomWebService.ResultIds(data).Count);
            var secondHeld = await orthanc.WaitForInstancesAsync(secondStudy, _ => true, Timeout);
            Assert.Single(secondHeld, i => i.Modality == "RTSTRUCT");
            Assert.Single(secondHeld, i => i.Modality == "SEG");
            Assert.Contains("matches no routing rule", service.Output, StringComparison.Ordinal);
        }
        catch
        {
            output.WriteLine(service.Output);
            throw;
        }
    }

    /// <summary>
    /// The RT Orthanc holds: in the CT's study and frame of reference, every contour's image an instance Orthanc holds,
    /// one contour image per CT slice (PassThroughModel draws in every slice), and dciodvfy finds no error.
    /// </summary>
    private static void CheckRt(byte[] file, IReadOnlyList<byte[]> ct, IReadOnlyList<OrthancInstance> held, TempDirectory dir)
    {
        var rt = DicomReader.Read(file).Dataset;
        var ctSet = DicomReader.Read(ct[0]).Dataset;
        Assert.Equal(ctSet.GetFirstString(DicomTags.StudyInstanceUID), rt.GetFirstString(DicomTags.StudyInstanceUID));
        var frames = rt.Items(new DicomTag(0x30060010u));
        var frame = Assert.Single(frames);
        Assert.Equal(ctSet.GetFirstString(DicomTags.FrameOfReferenceUID)?.Trim(), frame.GetFirstString(DicomTags.FrameOfReferenceUID)?.Trim());
        var images = new HashSet<string>(StringComparer.Ordinal);
        foreach (var roi in rt.Items(new DicomTag(0x30060039u)))
        {
            foreach (var contour in roi.Items(new DicomTag(0x30060040u)))
            {
                foreach (var image in contour.Items(new DicomTag(0x30060016u)))
                    images.Add(image.GetFirstString(DicomTags.ReferencedSOPInstanceUID)!.Trim());
            }
        }
        var heldUids = held.Select(i => i.SopInstanceUid).ToHashSet(StringComparer.Ordinal);
        Assert.All(images, uid => Assert.Contains(uid, heldUids));
        Assert.Equal(ct.Select(f => StowSeries.Uid(f, DicomTags.SOPInstanceUID)).Order(StringComparer.Ordinal), images.Order(StringComparer.Ordinal));

        ExternalProcess.Require("/usr/bin/dciodvfy");
        var path = dir.NewPath("rt.dcm");
        File.WriteAllBytes(path, file);
        var (_, stdout, stderr) = ExternalProcess.Run("/usr/bin/dciodvfy", [path], throwOnError: false);
        var errors = (stdout + stderr).Split('\n').Where(l => l.StartsWith("Error", StringComparison.Ordinal)).ToList();
        Assert.True(errors.Count == 0, string.Join('\n', errors));
    }
}
