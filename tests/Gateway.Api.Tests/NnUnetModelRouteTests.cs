using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using InnerEye.Gateway.Api.Tests.Support;
using InnerEye.Imaging.Dicom;
using InnerEye.Imaging.Rt;
using InnerEye.Imaging.Series;
using InnerEye.Imaging.Tests.Support;
using InnerEye.Inference.Nnunet.Import;
using InnerEye.Inference.Tests.Support;
using Xunit.Abstractions;

namespace InnerEye.Gateway.Api.Tests;

/// <summary>
/// An imported nnU-Net model behind the InnerEye route, as an operator deploys one: the fixture's model (fold 0, no
/// mirroring: nnU-Net's setting c) in the models folder of the real server process, a fixture case uploaded as the
/// gateway's zip; the RT Structure Set rasterised back onto the CT agrees with nnU-Net's own segmentation.
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed class NnUnetModelRouteTests(ITestOutputHelper output)
{
    private const string Secret = "nnunet-secret";

    [SkippableFact]
    [Trait("Category", "Slow")]
    public async Task AnImportedModelSegmentsThroughTheInnerEyeRouteAsNnUnetDoes()
    {
        var fixture = NnUnetFixture.Root;
        using var dir = new TempDirectory();
        var models = dir.Combine("models");
        NnUnetModelImporter.Import(new NnUnetImportOptions(NnUnetFixture.ModelFolder, "Thorax501", models) { Folds = [0], Mirroring = false });
        var caseDir = Path.Combine(fixture, "cases", "hfs_std");
        var zip = GatewayZip(Path.Combine(caseDir, "ct"));

        var env = new Dictionary<string, string> { ["Api__AuthSecret"] = Secret, ["Models__Path"] = models };
        await using var server = await ServerProcess.StartAsync(FreePorts.Next(), dir.Combine("data"), env);
        using var client = new HttpClient { BaseAddress = server.Address, Timeout = TimeSpan.FromMinutes(5) };
        client.DefaultRequestHeaders.Add("API_AUTH_SECRET", Secret);

        var listed = JsonDocument.Parse(await client.GetStringAsync("/api/v1/models")).RootElement.EnumerateArray().Single();
        Assert.Equal("voxel", listed.GetProperty("grid").GetString());
        Assert.Equal(1, listed.GetProperty("ensembleSize").GetInt32());
        Assert.Equal("ctClipZScore", listed.GetProperty("channels")[0].GetProperty("normalization").GetProperty("scheme").GetString());

        var content = new ByteArrayContent(zip);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/zip");
        var start = await client.PostAsync("/v1/model/start/Thorax501:1", content);
        var id = await start.Content.ReadAsStringAsync();
        Assert.True(start.StatusCode == HttpStatusCode.Created, $"{start.StatusCode}: {id}\n{server.Output}");
        var result = await PollAsync(client, id, TimeSpan.FromMinutes(4));

        using var archive = new ZipArchive(new MemoryStream(result));
        using var rtStream = new MemoryStream();
        await using (var entry = archive.GetEntry("segmentation.dcm")!.Open()) await entry.CopyToAsync(rtStream);
        var rt = RtStructureSetReader.Read(DicomReader.Read(rtStream.ToArray()));
        var series = VolumeLoader.Load(Path.Combine(caseDir, "ct")).Channels.Single();
        var labels = new byte[series.Volume.VoxelCount];
        foreach (var roi in rt.Rois)
        {
            var mask = RtRasterizer.Rasterize(roi, series);
            var label = (byte)(Array.IndexOf(["SpinalCord", "Lung_R", "Lung_L", "Heart", "Esophagus"], roi.Name) + 1);
            for (var i = 0; i < mask.Length; i++)
                if (mask[i] != 0) labels[i] = label;
        }
        var reference = Npy.ReadFile(Path.Combine(caseDir, "seg_c.npy")).AsBytes();
        Assert.Equal(reference.Length, labels.Length);
        var agreement = (double)labels.Zip(reference).Count(p => p.First == p.Second) / labels.Length;
        output.WriteLine($"RT rasterised back vs nnU-Net's seg_c: voxel agreement {agreement:0.000000}");
        foreach (var k in Enumerable.Range(1, 5))
        {
            int ours = labels.Count(l => l == k), theirs = reference.Count(l => l == k),
                both = labels.Zip(reference).Count(p => p.First == k && p.Second == k);
            if (ours + theirs == 0) continue;
            var dice = 2.0 * both / (ours + theirs);
            output.WriteLine($"  label {k}: Dice {dice:0.00000} ({ours} / {theirs} voxels)");
            Assert.True(dice >= 0.999, $"label {k}: Dice {dice}");
        }
        Assert.True(agreement >= 0.9995, $"voxel agreement {agreement}");
    }

    /// <summary>The gateway's layout: the slices under <c>ct/</c>.</summary>
    private static byte[] GatewayZip(string folder)
    {
        using var buffer = new MemoryStream();
        using (var archive = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var file in Directory.GetFiles(folder).Order(StringComparer.Ordinal))
                archive.CreateEntryFromFile(file, "ct/" + Path.GetFileName(file));
        }

        return buffer.ToArray();
    }

    private static async Task<byte[]> PollAsync(HttpClient client, string id, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            using var response = await client.GetAsync($"/v1/model/results/{id}");
            if (response.StatusCode == HttpStatusCode.OK) return await response.Content.ReadAsByteArrayAsync();
            Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"{response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
            await Task.Delay(500);
        }
        throw new TimeoutException($"Run {id} gave no result within {timeout}.");
    }
}
