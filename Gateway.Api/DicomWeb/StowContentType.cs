using Microsoft.Net.Http.Headers;

namespace InnerEye.Gateway.Api.DicomWeb;

/// <summary>The media types a STOW-RS request and its parts may have (PS3.18 §10.5.1): DICOM files only.</summary>
public static class StowContentType
{
    public const string Dicom = "application/dicom";

    /// <summary>The boundary of a <c>multipart/related</c> body of DICOM files (quoted or not).</summary>
    /// <exception cref="UnsupportedStowMediaTypeException">Another media type, or another <c>type</c> of parts.</exception>
    /// <exception cref="Uploads.InvalidUploadException">No boundary.</exception>
    public static string Boundary(string? contentType)
    {
        if (!MediaTypeHeaderValue.TryParse(contentType, out var media) ||
            !media.MediaType.Equals("multipart/related", StringComparison.OrdinalIgnoreCase))
        {
            throw new UnsupportedStowMediaTypeException(
                $"STOW-RS takes multipart/related; type=\"application/dicom\" (got '{contentType ?? "no Content-Type"}').");
        }
        var type = media.Parameters.FirstOrDefault(p => p.Name.Equals("type", StringComparison.OrdinalIgnoreCase));
        if (type is not null && !HeaderUtilities.RemoveQuotes(type.Value).Equals(Dicom, StringComparison.OrdinalIgnoreCase))
        {
            throw new UnsupportedStowMediaTypeException(
                $"This service stores DICOM files (type=\"application/dicom\"), not type=\"{HeaderUtilities.RemoveQuotes(type.Value)}\".");
        }
        var boundary = HeaderUtilities.RemoveQuotes(media.Boundary).Value;
        if (string.IsNullOrEmpty(boundary)) throw new Uploads.InvalidUploadException("The multipart/related body has no boundary parameter.");
        return boundary;
    }

    /// <summary>Whether a part is a DICOM file: no Content-Type, or application/dicom (parameters such as transfer-syntax allowed).</summary>
    public static bool IsDicomPart(string? contentType) =>
        string.IsNullOrWhiteSpace(contentType) ||
        MediaTypeHeaderValue.TryParse(contentType, out var media) && media.MediaType.Equals(Dicom, StringComparison.OrdinalIgnoreCase);
}
