using InnerEye.Gateway.Api.Tests.Support;
using InnerEye.Imaging.Tests.Support;

namespace InnerEye.Gateway.Api.Tests.DicomWeb;

/// <summary>The Orthanc fixture itself: its stored instances outlive a stop and a kill, as a hospital's Orthanc's do.</summary>
[Trait("Category", "DicomWeb")]
public sealed class OrthancServerTests
{
    [SkippableFact]
    public async Task Instances_survive_a_stop_and_a_kill()
    {
        OrthancServer.Require();
        using var dir = new TempDirectory();
        await using var orthanc = new OrthancServer(dir.Combine("orthanc"), FreePorts.Next());
        await orthanc.StartAsync();
        var slices = PhantomSlices.Create(seed: 9, slices: 2);
        var upload = await orthanc.UploadInstanceAsync(slices.Files[0]);
        Assert.Equal("Success", upload.Status);
        Assert.Equal("AlreadyStored", (await orthanc.UploadInstanceAsync(slices.Files[0])).Status);

        await orthanc.StopAsync();
        await orthanc.StartAsync();
        Assert.Equal(upload.Study, await orthanc.FindStudyByUidAsync(slices.StudyInstanceUid));
        await orthanc.UploadInstanceAsync(slices.Files[1]);

        await orthanc.KillAsync();
        await orthanc.StartAsync();
        var instances = await orthanc.WaitForInstancesAsync(slices.StudyInstanceUid, list => list.Count == 2, TimeSpan.FromSeconds(10));
        Assert.Equal(slices.SopInstanceUids.Order(), instances.Select(i => i.SopInstanceUid).Order());
        Assert.Equal(slices.Files[0], await orthanc.GetInstanceFileAsync(upload.Instance));
    }
}
