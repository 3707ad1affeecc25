using System.Net;
using System.Security.Cryptography;
using InnerEye.Grains.DicomWeb;
using InnerEye.Grains.Tests.Support;
using InnerEye.Imaging.Dicom;
using InnerEye.Imaging.Phantoms;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace InnerEye.Grains.Tests.DicomWeb;

[CollectionDefinition(Name)]
public sealed class IntakeCollection : ICollectionFixture<IntakeClusterFixture>
{
    public const string Name = "DICOMweb intake";
}

/// <summary>
/// One silo running DICOMweb intake on PassThroughModel, and three local DICOMweb servers: "ok" answers 200, "refusing"
/// 400, "flaky" 503 twice and then 200. A CT series is routed by its SeriesDescription to the rule of the same name,
/// which delivers to the server of that name; a series described "kept" is segmented and delivered nowhere; any other
/// series matches no rule.
/// </summary>
public sealed class IntakeClusterFixture : IAsyncLifetime
{
    public static readonly TimeSpan UnroutedRetention = TimeSpan.FromSeconds(2);

    public GrainCluster Grains { get; private set; } = null!;

    public StowServer Ok { get; private set; } = null!;

    public StowServer Refusing { get; private set; } = null!;

    public StowServer Flaky { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Ok = await StowServer.StartAsync(HttpStatusCode.OK);
        Refusing = await StowServer.StartAsync((HttpStatusCode.BadRequest, "The study is closed."));
        Flaky = await StowServer.StartAsync(HttpStatusCode.ServiceUnavailable, HttpStatusCode.ServiceUnavailable, HttpStatusCode.OK);
        var configuration = new Dictionary<string, string?>
        {
            ["DicomWeb:SeriesQuietPeriod"] = "00:00:01",
            ["DicomWeb:UnroutedRetention"] = UnroutedRetention.ToString(),
            ["DicomWeb:Delivery:FirstRetryDelay"] = "00:00:00.5",
            ["DicomWeb:Delivery:RequestTimeout"] = "00:00:10",
        };
        var servers = new[] { ("ok", Ok), ("refusing", Refusing), ("flaky", Flaky) };
        for (var i = 0; i < servers.Length; i++)
        {
            var (name, server) = servers[i];
            configuration[$"DicomWeb:Routes:{i}:Name"] = name;
            configuration[$"DicomWeb:Routes:{i}:Match:Modality"] = "CT";
            configuration[$"DicomWeb:Routes:{i}:Match:SeriesDescription"] = $"^{name}$";
            configuration[$"DicomWeb:Routes:{i}:Model"] = "PassThroughModel";
            configuration[$"DicomWeb:Routes:{i}:Destinations:0"] = name;
            configuration[$"DicomWeb:Destinations:{name}:Url"] = server.BaseUrl;
        }
        configuration["DicomWeb:Routes:3:Name"] = "kept";
        configuration["DicomWeb:Routes:3:Match:SeriesDescription"] = "^kept$";
        configuration["DicomWeb:Routes:3:Model"] = "PassThroughModel";
        Grains = await GrainCluster.StartAsync(new GrainClusterOptions
        {
            Silos = 1,
            GpuSilos = new HashSet<string> { "Silo_0" },
            Configuration = configuration,
        });
    }

    public async Task DisposeAsync()
    {
        await Grains.DisposeAsync();
        await Ok.DisposeAsync();
        await Refusing.DisposeAsync();
        await Flaky.DisposeAsync();
    }

    /// <summary>The slices of a phantom CT (its UIDs follow from the seed), each as a DICOM file's bytes.</summary>
    public IReadOnlyList<byte[]> PhantomSlices(int seed)
    {
        var phantom = ThoraxPhantom.Generate(new ThoraxPhantomOptions { Seed = seed, Rows = 64, Columns = 64, Slices = 4 });
        var output = PhantomWriter.Write(phantom, Path.Combine(Grains.TempPath, $"phantom-{seed}"));
        return [.. Directory.GetFiles(output.CtFolder!).Order(StringComparer.Ordinal).Select(File.ReadAllBytes)];
    }

    /// <summary>The series' attributes as a STOW-RS front end reads them from a slice, with the description given.</summary>
    public static SeriesAttributes Attributes(byte[] slice, string seriesDescription)
    {
        var d = DicomReader.Read(slice).Dataset;
        return new SeriesAttributes(d.GetString(DicomTags.StudyInstanceUID)!, d.GetString(DicomTags.SeriesInstanceUID)!,
            d.GetString(DicomTags.Modality), d.GetString(DicomTags.Manufacturer), null, seriesDescription, d.GetString(DicomTags.StudyDescription),
            null, double.TryParse(d.GetString(DicomTags.SliceThickness), out var t) ? t : null);
    }

    /// <summary>Writes each slice where STOW-RS writes what it receives and describes it as received.</summary>
    public async Task<ReceivedInstance> IncomingAsync(byte[] slice)
    {
        var d = DicomReader.Read(slice).Dataset;
        var incoming = await Grains.Store.PutAsync(IntakeKeys.Incoming(), new MemoryStream(slice));
        return new ReceivedInstance(d.GetString(DicomTags.SOPInstanceUID)!, d.GetString(DicomTags.SOPClassUID)!, incoming,
            Convert.ToHexStringLower(SHA256.HashData(slice)), slice.Length);
    }

    /// <summary>Sends the slices to their series' intake as one STOW-RS request would.</summary>
    public async Task<IReadOnlyList<InstanceOutcome>> ReceiveAsync(IReadOnlyList<byte[]> slices, string seriesDescription)
    {
        var series = Attributes(slices[0], seriesDescription);
        var instances = new List<ReceivedInstance>();
        foreach (var slice in slices) instances.Add(await IncomingAsync(slice));
        return await Series(series.SeriesInstanceUid).Receive(new ReceivedBatch(series, instances));
    }

    public ISeriesIntakeGrain Series(string seriesUid) => Grains.Client.GetGrain<ISeriesIntakeGrain>(IntakeKeys.Grain(seriesUid));

    public IStudyIntakeGrain Study(string studyUid) => Grains.Client.GetGrain<IStudyIntakeGrain>(IntakeKeys.Grain(studyUid));

    /// <summary>The segmentation the study's intake started, once it has started one.</summary>
    public async Task<string> SegmentationOfAsync(string studyUid) => Assert.Single(await SegmentationsOfAsync(studyUid, 1));

    /// <summary>The segmentations the study's intake started, once it has started <paramref name="count"/>.</summary>
    public async Task<IReadOnlyList<string>> SegmentationsOfAsync(string studyUid, int count)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            var started = await Study(studyUid).GetSegmentations();
            if (started.Count >= count) return started;
            await Task.Delay(100);
        }
        throw new TimeoutException($"Study {studyUid} did not start {count} segmentations.");
    }

    /// <summary>The bytes of the one DICOM part of a STOW-RS request.</summary>
    public static async Task<byte[]> SinglePartAsync(StowRequest request)
    {
        var boundary = HeaderUtilities.RemoveQuotes(MediaTypeHeaderValue.Parse(request.ContentType).Boundary).Value!;
        var reader = new MultipartReader(boundary, new MemoryStream(request.Body));
        var part = await reader.ReadNextSectionAsync();
        Assert.NotNull(part);
        using var bytes = new MemoryStream();
        await part.Body.CopyToAsync(bytes);
        Assert.Null(await reader.ReadNextSectionAsync());
        return bytes.ToArray();
    }

    public async Task<byte[]> ResultBytesAsync(SegmentationStatus status)
    {
        await using var stream = Grains.Store.OpenRead(status.Result!);
        using var bytes = new MemoryStream();
        await stream.CopyToAsync(bytes);
        return bytes.ToArray();
    }
}
