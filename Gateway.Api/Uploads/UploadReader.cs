using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace InnerEye.Gateway.Api.Uploads;

/// <summary>
/// The uploaded zip as a stream read straight off the request: the raw body (<c>application/zip</c>, as the InnerEye
/// gateway sends it, or any other type), or the first file of a <c>multipart/form-data</c> body. Nothing is buffered
/// whole. The limit counts the request body's bytes exactly, chunked or not; for multipart it is the whole body
/// (boundaries, part headers and other parts included). More than <paramref name="limit"/> bytes throws
/// <see cref="UploadTooLargeException"/>.
/// </summary>
public static class UploadReader
{
    public static async Task<Stream> OpenAsync(HttpRequest request, long limit, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.ContentLength > limit) throw new UploadTooLargeException(limit);
        // Kestrel counts chunk framing against its own limit and would refuse a chunked body short of ours.
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
            size.MaxRequestBodySize = null;

        var body = new LimitedReadStream(request.Body, limit);
        Audit.AuditScope.Of(request.HttpContext).Body = body;
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var type) ||
            !type.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase))
            return body;

        var boundary = HeaderUtilities.RemoveQuotes(type.Boundary).Value;
        if (string.IsNullOrEmpty(boundary)) throw new InvalidUploadException("The multipart body has no boundary.");
        var reader = new MultipartReader(boundary, body);
        while (await reader.ReadNextSectionAsync(ct) is { } section)
        {
            if (ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition) &&
                disposition.IsFileDisposition())
                return new MultipartFileStream(section.Body, body);
        }
        throw new InvalidUploadException("The multipart body holds no file; send the zip as its one file part, or as the raw body.");
    }
}
