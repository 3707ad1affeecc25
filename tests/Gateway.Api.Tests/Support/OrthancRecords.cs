using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace InnerEye.Gateway.Api.Tests.Support;

/// <summary>
/// An entry of Orthanc's <c>DicomWeb.Servers</c>: a DICOMweb server Orthanc sends to. <paramref name="ChunkedTransfers"/>
/// null leaves the plugin's default.
/// </summary>
public sealed record OrthancDicomWebServer(Uri Url, string? Username = null, string? Password = null, bool? ChunkedTransfers = null)
{
    public JsonObject ToJson()
    {
        var entry = new JsonObject { ["Url"] = Url.ToString() };
        if (Username is not null) entry["Username"] = Username;
        if (Password is not null) entry["Password"] = Password;
        if (ChunkedTransfers is { } chunked) entry["ChunkedTransfers"] = chunked;
        return entry;
    }
}

/// <summary>Orthanc's identifiers of a stored instance and its parents, as <c>POST /instances</c> answers them.</summary>
public sealed record OrthancUpload(string Instance, string Series, string Study, string Patient, string Status);

/// <summary>One stored instance: Orthanc's identifier and the DICOM UIDs a delivery is checked by.</summary>
public sealed record OrthancInstance(string Id, string SopClassUid, string SopInstanceUid, string SeriesInstanceUid, string Modality);

/// <summary>An answer of Orthanc's REST API: its status and its body (JSON where Orthanc sent JSON).</summary>
public sealed record OrthancAnswer(HttpStatusCode Status, string Body)
{
    public JsonElement Json => JsonDocument.Parse(Body).RootElement;
}
