using System.Text;
using InnerEye.Gateway.Api.Tests.Support;

namespace InnerEye.Gateway.Api.Tests;

/// <summary>
/// <c>Api:MaxUploadBytes</c> is exact on a real connection: a body of exactly the limit is taken and one byte more is
/// 413, chunked or with a Content-Length, raw or multipart (where the limit is the whole body's).
/// </summary>
[Collection(EdgeCollection.Name)]
public sealed class ExactUploadLimitTests(EdgeFactory factory)
{
    private const string Path = "/v1/model/start/PassThroughModel";
    private const string Boundary = "edge-boundary";

    [SkippableTheory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(true, true)]
    public async Task ABodyOfExactlyTheLimitIsTakenAndOneByteMoreIs413(bool chunked, bool multipart)
    {
        Assert.Equal(201, (await SendAsync(EdgeFactory.Limit, chunked, multipart)).Status);
        var over = await SendAsync(EdgeFactory.Limit + 1, chunked, multipart);
        Assert.Equal(413, over.Status);
        Assert.Contains("Api:MaxUploadBytes", Encoding.UTF8.GetString(over.Body));
    }

    private Task<RawHttp.Response> SendAsync(int bodyBytes, bool chunked, bool multipart)
    {
        var headers = new Dictionary<string, string>
        {
            ["API_AUTH_SECRET"] = GatewayFactory.Secret,
            ["Content-Type"] = multipart ? $"multipart/form-data; boundary={Boundary}" : "application/zip",
        };
        return RawHttp.SendAsync(factory.Address, "POST", Path, headers, multipart ? Multipart(bodyBytes) : new byte[bodyBytes], chunked);
    }

    /// <summary>A multipart body of exactly <paramref name="total"/> bytes: one file part, padded to size.</summary>
    private static byte[] Multipart(int total)
    {
        var head = Encoding.ASCII.GetBytes(
            $"--{Boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"scan.zip\"\r\nContent-Type: application/zip\r\n\r\n");
        var tail = Encoding.ASCII.GetBytes($"\r\n--{Boundary}--\r\n");
        var body = new byte[total];
        head.CopyTo(body, 0);
        tail.CopyTo(body, total - tail.Length);
        return body;
    }
}
