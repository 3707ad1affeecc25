using System.IO.Compression;
using System.Net;
using System.Text.Json;
using InnerEye.Gateway.Api.Tests.Support;
using InnerEye.Grains;
using InnerEye.Grains.DicomWeb;
using InnerEye.Imaging.Dicom;
using InnerEye.Imaging.Phantoms;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace InnerEye.Gateway.Api.Tests.Telemetry;

/// <summary>
/// Jobs through both routes (a zip upload and a DICOMweb STOW-RS study routed to a model) on phantoms whose patient and
/// UIDs are known: every log line of every category, at Debug, is kept, and none holds any of them.
/// </summary>
public sealed class PatientDataLogTests
{
    private const string PatientName = "Quennell^Marguerite^Ysolde";
    private const string PatientId = "MRN4471902X";
    private const string BirthDate = "19480923";
    private const string ZipStudy = "2.25.91827364554637281901";
    private const string StowStudy = "2.25.73645546372819918201";

    private sealed class LoggedGateway(RecordingLoggerProvider recorder) : GatewayFactory(new Dictionary<string, string?>
    {
        ["Logging:LogLevel:Default"] = "Debug",
        ["Logging:LogLevel:Microsoft.AspNetCore"] = "Debug",
        ["Logging:LogLevel:Orleans"] = "Debug",
        ["DicomWeb:SeriesQuietPeriod"] = "00:00:01",
        ["DicomWeb:Routes:0:Name"] = "ct-to-passthrough",
        ["DicomWeb:Routes:0:Match:Modality"] = "CT",
        ["DicomWeb:Routes:0:Model"] = "PassThroughModel",
    })
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureLogging(logging =>
            {
                logging.SetMinimumLevel(LogLevel.Debug);
                logging.AddProvider(recorder);
                logging.AddFilter<RecordingLoggerProvider>(null, LogLevel.Debug);
            });
        }
    }

    /// <summary>The phantom's slices as files of the given study, with the test's patient and UIDs of their own.</summary>
    private static List<byte[]> Slices(int seed, string study)
    {
        var phantom = ThoraxPhantom.Generate(new ThoraxPhantomOptions { Seed = seed, Rows = 48, Columns = 48, Slices = 4 });
        return [.. Enumerable.Range(0, 4).Select(k => DicomWriter.WriteFile(PhantomWriter.BuildSlice(phantom, k)
            .Set(DicomTags.PatientName, DicomVR.PN, PatientName)
            .Set(DicomTags.PatientID, DicomVR.LO, PatientId)
            .Set(DicomTags.PatientBirthDate, DicomVR.DA, BirthDate)
            .Set(DicomTags.StudyInstanceUID, DicomVR.UI, study)
            .Set(DicomTags.SeriesInstanceUID, DicomVR.UI, $"{study}.2")
            .Set(DicomTags.SOPInstanceUID, DicomVR.UI, $"{study}.3.{k + 1}"), TransferSyntax.ExplicitVRLittleEndian))];
    }

    private static byte[] Zip(IReadOnlyList<byte[]> files)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            for (var i = 0; i < files.Count; i++)
            {
                using var entry = zip.CreateEntry($"ct/{i}").Open();
                entry.Write(files[i]);
            }
        }
        return buffer.ToArray();
    }

    private static async Task<JsonElement> CompletedAsync(HttpClient client, string model, string id)
    {
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (true)
        {
            var status = JsonDocument.Parse(await client.GetStringAsync($"/api/v1/models/{model}/segmentation/{id}")).RootElement;
            if (status.GetProperty("status").GetString() is "completed" or "failed" or "cancelled" || DateTime.UtcNow > deadline)
                return status;
            await Task.Delay(200);
        }
    }

    [Fact]
    public async Task NoLogLineOfAZipJobOrADicomWebJobHoldsPatientDataOrUids()
    {
        var recorder = new RecordingLoggerProvider();
        await using var factory = new LoggedGateway(recorder);
        using var client = factory.Authorized();

        // The zip route.
        var zipSlices = Slices(61, ZipStudy);
        var submit = await client.PostAsync("/api/v1/models/PassThroughModel/segmentation", new ByteArrayContent(Zip(zipSlices)));
        Assert.Equal(HttpStatusCode.Created, submit.StatusCode);
        var zipJob = JsonDocument.Parse(await submit.Content.ReadAsStringAsync()).RootElement.GetProperty("segmentationId").GetString()!;
        var zipStatus = await CompletedAsync(client, "PassThroughModel", zipJob);
        Assert.True(zipStatus.GetProperty("status").GetString() == "completed", zipStatus.ToString());
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/v1/models/PassThroughModel/segmentation/{zipJob}/result")).StatusCode);
        var seg = await client.GetAsync($"/api/v1/models/PassThroughModel/segmentation/{zipJob}/result?format=seg");
        Assert.Equal(HttpStatusCode.OK, seg.StatusCode);

        // A STOW-RS study, routed to the model once its series is quiet.
        const string boundary = "phi-log-boundary";
        var stow = new ByteArrayContent(StowSeries.Body(Slices(62, StowStudy), boundary));
        stow.Headers.TryAddWithoutValidation("Content-Type", StowSeries.ContentType(boundary));
        var stored = await client.PostAsync("/dicomweb/studies", stow);
        Assert.Equal(HttpStatusCode.OK, stored.StatusCode);
        var study = factory.Services.GetRequiredService<IGrainFactory>().GetGrain<IStudyIntakeGrain>(IntakeKeys.Grain(StowStudy));
        var deadline = DateTime.UtcNow.AddMinutes(1);
        IReadOnlyList<string> started = [];
        while (started.Count == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(250);
            started = await study.GetSegmentations();
        }
        var stowJob = Assert.Single(started);
        var stowStatus = await CompletedAsync(client, "PassThroughModel", stowJob);
        Assert.True(stowStatus.GetProperty("status").GetString() == "completed", stowStatus.ToString());

        var lines = recorder.Lines;
        // The capture is real: Debug lines of the runtime, and the jobs' own lines with their scopes.
        Assert.Contains(lines, l => l.Level == LogLevel.Debug && l.Category.StartsWith("Orleans", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Category.StartsWith("InnerEye.Grains", StringComparison.Ordinal)
            && l.Text.Contains(zipJob, StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Text.Contains($"scope Segmentation {stowJob}", StringComparison.Ordinal));

        string[] patientData =
        [
            PatientName, "Quennell", "Marguerite", "Ysolde", PatientId, BirthDate, "1948-09-23",
            ZipStudy, StowStudy, ..zipSlices.Select(f => StowSeries.Uid(f, DicomTags.SOPInstanceUID)),
        ];
        var leaks = lines.Where(l => patientData.Any(p => l.Text.Contains(p, StringComparison.OrdinalIgnoreCase))).ToList();
        Assert.True(leaks.Count == 0, string.Join("\n", leaks.Take(10).Select(l => $"{l.Category} [{l.Level}]: {l.Text}")));
    }
}
