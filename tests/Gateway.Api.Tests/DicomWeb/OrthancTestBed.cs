using InnerEye.Gateway.Api.Tests.Support;
using InnerEye.Imaging.Tests.Support;

namespace InnerEye.Gateway.Api.Tests.DicomWeb;

/// <summary>
/// A real Orthanc whose DICOMweb server entry <see cref="ServerName"/> points at a <see cref="CapturingHttpServer"/>
/// (base <c>…/dicomweb/</c>, as the service's), with a temporary folder for its storage.
/// </summary>
public sealed class OrthancTestBed : IAsyncDisposable
{
    public const string ServerName = "innereye";
    public const string UserName = "any-user";
    public const string Secret = "test-api-secret";

    private readonly TempDirectory _dir = new();

    private OrthancTestBed(bool? chunkedTransfers, TimeSpan stableAge, IList<string> luaScripts, System.Text.Json.Nodes.JsonObject? baseConfiguration)
    {
        Orthanc = new OrthancServer(_dir.Combine("orthanc"), FreePorts.Next())
        {
            DicomWebServers = { [ServerName] = new OrthancDicomWebServer(new Uri(Capture.Address, "dicomweb/"), UserName, Secret, chunkedTransfers) },
            StableAge = stableAge,
            LuaScripts = luaScripts,
            BaseConfiguration = baseConfiguration,
        };
    }

    public CapturingHttpServer Capture { get; } = new();

    public OrthancServer Orthanc { get; }

    public static async Task<OrthancTestBed> StartAsync(bool? chunkedTransfers = null, TimeSpan? stableAge = null,
        IList<string>? luaScripts = null, System.Text.Json.Nodes.JsonObject? baseConfiguration = null)
    {
        var bed = new OrthancTestBed(chunkedTransfers, stableAge ?? TimeSpan.FromSeconds(2), luaScripts ?? [], baseConfiguration);
        await bed.Orthanc.StartAsync();
        return bed;
    }

    /// <summary>Uploads the slices into Orthanc and returns Orthanc's series id.</summary>
    public async Task<string> UploadAsync(PhantomSlices slices)
    {
        var series = "";
        foreach (var file in slices.Files) series = (await Orthanc.UploadInstanceAsync(file)).Series;
        return series;
    }

    /// <summary>A STOW-RS answer that accepts <paramref name="count"/> instances, as Orthanc's client wants it.</summary>
    public static string Accepted(int count) =>
        """{"00081199":{"vr":"SQ","Value":[""" + string.Join(',', Enumerable.Repeat("{}", count)) + "]}}";

    public async ValueTask DisposeAsync()
    {
        await Orthanc.DisposeAsync();
        await Capture.DisposeAsync();
        _dir.Dispose();
    }
}
