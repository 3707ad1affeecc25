using System.Net.Http.Headers;
using System.Text;

namespace InnerEye.Gateway.Api.Tests.Support;

/// <summary>Builds and splits <c>multipart/related</c> bodies of DICOM parts, as STOW-RS sends them.</summary>
public static class DicomMultipart
{
    /// <summary>
    /// A STOW-RS request body: one <c>application/dicom</c> part per item; the Content-Type header is sent exactly as
    /// given by <paramref name="contentTypeFormat"/> with <c>{0}</c> replaced by the boundary.
    /// </summary>
    public static ByteArrayContent Build(IEnumerable<byte[]> parts,
        string contentTypeFormat = "multipart/related; type=\"application/dicom\"; boundary={0}")
    {
        var boundary = "innereye-" + Guid.NewGuid().ToString("N");
        var body = new MemoryStream();
        foreach (var part in parts)
        {
            body.Write(Encoding.ASCII.GetBytes($"--{boundary}\r\nContent-Type: application/dicom\r\n\r\n"));
            body.Write(part);
            body.Write("\r\n"u8);
        }
        body.Write(Encoding.ASCII.GetBytes($"--{boundary}--\r\n"));
        var content = new ByteArrayContent(body.ToArray());
        content.Headers.TryAddWithoutValidation("Content-Type", string.Format(System.Globalization.CultureInfo.InvariantCulture,
            contentTypeFormat, boundary));
        return content;
    }

    /// <summary>The boundary parameter of a multipart Content-Type, unquoted.</summary>
    public static string Boundary(string contentType) =>
        MediaTypeHeaderValue.Parse(contentType).Parameters.Single(p => p.Name.Equals("boundary", StringComparison.OrdinalIgnoreCase))
            .Value!.Trim('"');

    /// <summary>Splits a multipart body into its parts: each part's header lines and its content.</summary>
    public static IReadOnlyList<(IReadOnlyList<KeyValuePair<string, string>> Headers, byte[] Content)> Split(byte[] body, string boundary)
    {
        var delimiter = Encoding.ASCII.GetBytes("--" + boundary);
        var parts = new List<(IReadOnlyList<KeyValuePair<string, string>>, byte[])>();
        var at = IndexOf(body, delimiter, 0);
        while (at >= 0)
        {
            var start = at + delimiter.Length;
            if (start + 1 < body.Length && body[start] == '-' && body[start + 1] == '-') break;
            start += 2; // CRLF after the delimiter
            var next = IndexOf(body, delimiter, start);
            if (next < 0) throw new FormatException("A multipart part has no closing delimiter.");
            var end = next - 2; // the CRLF before the next delimiter belongs to it
            var headerEnd = IndexOf(body, "\r\n\r\n"u8.ToArray(), start);
            var headers = Encoding.ASCII.GetString(body, start, headerEnd - start).Split("\r\n")
                .Select(l => new KeyValuePair<string, string>(l[..l.IndexOf(':', StringComparison.Ordinal)],
                    l[(l.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim()))
                .ToList();
            parts.Add((headers, body[(headerEnd + 4)..end]));
            at = next;
        }
        return parts;
    }

    private static int IndexOf(byte[] haystack, byte[] needle, int from)
    {
        var i = haystack.AsSpan(from).IndexOf(needle);
        return i < 0 ? -1 : from + i;
    }
}
