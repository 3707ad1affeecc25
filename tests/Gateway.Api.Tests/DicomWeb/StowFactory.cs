using InnerEye.Gateway.Api.Tests.Support;

namespace InnerEye.Gateway.Api.Tests.DicomWeb;

/// <summary>The service on a real socket, routing CT series to PassThroughModel after a one-second quiet period, with a small upload limit.</summary>
public sealed class StowFactory() : KestrelGatewayFactory(new Dictionary<string, string?>
{
    ["Api:MaxUploadBytes"] = "2000000",
    ["DicomWeb:SeriesQuietPeriod"] = "00:00:01",
    ["DicomWeb:Routes:0:Name"] = "ct-to-passthrough",
    ["DicomWeb:Routes:0:Match:Modality"] = "CT",
    ["DicomWeb:Routes:0:Model"] = "PassThroughModel",
})
{
    public const string Boundary = "stow-test-boundary";

    public HttpContent Stow(IEnumerable<byte[]> parts, bool quotedBoundary = false, string? partType = "application/dicom")
    {
        var content = new ByteArrayContent(StowSeries.Body(parts, Boundary, partType));
        content.Headers.TryAddWithoutValidation("Content-Type", StowSeries.ContentType(Boundary, quotedBoundary));
        return content;
    }
}
