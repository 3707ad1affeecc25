using System.Net.Http.Headers;

namespace InnerEye.Grains.DicomWeb;

/// <summary>The DICOMweb payload: <c>multipart/related; type="application/dicom"</c>, one DICOM file a part (PS3.18 §8.6).</summary>
public static class MultipartRelated
{
    public const string DicomType = "application/dicom";

    public static string NewBoundary() => $"InnerEye-{Guid.NewGuid():N}";

    /// <summary>The Content-Type header value for a body with <paramref name="boundary"/>.</summary>
    public static string ContentType(string boundary) => $"multipart/related; type=\"{DicomType}\"; boundary={boundary}";

    /// <summary>An HTTP body of the files, each read from its stream as the body is sent.</summary>
    public static HttpContent Content(IReadOnlyList<Func<Stream>> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        var boundary = NewBoundary();
        var content = new MultipartContent("related", boundary);
        content.Headers.ContentType!.Parameters.Add(new NameValueHeaderValue("type", $"\"{DicomType}\""));
        foreach (var open in files)
        {
            var part = new StreamContent(open());
            part.Headers.ContentType = new MediaTypeHeaderValue(DicomType);
            content.Add(part);
        }
        return content;
    }
}
