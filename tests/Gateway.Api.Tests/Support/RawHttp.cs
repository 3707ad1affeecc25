using System.Net.Sockets;
using System.Text;

namespace InnerEye.Gateway.Api.Tests.Support;

/// <summary>
/// HTTP/1.1 over a bare socket, as a simple client does it: the whole request (head and body) is written before a
/// byte of the response is read, so a server that answers early and closes shows up as a reset, not a status.
/// </summary>
public static class RawHttp
{
    public sealed record Response(int Status, IReadOnlyDictionary<string, string> Headers, byte[] Body);

    public static async Task<Response> SendAsync(Uri server, string method, string path, IReadOnlyDictionary<string, string> headers,
        byte[] body, bool chunked = false)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(server.Host, server.Port);
        var stream = client.GetStream();
        var head = new StringBuilder($"{method} {path} HTTP/1.1\r\nHost: {server.Authority}\r\n");
        foreach (var (k, v) in headers) head.Append($"{k}: {v}\r\n");
        head.Append(chunked ? "Transfer-Encoding: chunked\r\n" : $"Content-Length: {body.Length}\r\n");
        head.Append("\r\n");
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head.ToString()));
        if (!chunked)
        {
            await stream.WriteAsync(body);
        }
        else
        {
            for (var offset = 0; offset < body.Length; offset += 65536)
            {
                var n = Math.Min(65536, body.Length - offset);
                await stream.WriteAsync(Encoding.ASCII.GetBytes($"{n:x}\r\n"));
                await stream.WriteAsync(body.AsMemory(offset, n));
                await stream.WriteAsync("\r\n"u8.ToArray());
            }
            await stream.WriteAsync("0\r\n\r\n"u8.ToArray());
        }
        await stream.FlushAsync();
        return await ReadResponseAsync(stream);
    }

    /// <summary>
    /// Declares <paramref name="declaredLength"/> bytes, then sends a few bytes at a time until the server answers, as
    /// a client on a very slow link does.
    /// </summary>
    public static async Task<Response> TrickleAsync(Uri server, string path, IReadOnlyDictionary<string, string> headers, long declaredLength)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(server.Host, server.Port);
        var stream = client.GetStream();
        var head = new StringBuilder($"POST {path} HTTP/1.1\r\nHost: {server.Authority}\r\nContent-Length: {declaredLength}\r\n");
        foreach (var (k, v) in headers) head.Append($"{k}: {v}\r\n");
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head.Append("\r\n").ToString()));
        var response = ReadResponseAsync(stream);
        var sent = 0L;
        while (!response.IsCompleted && sent < declaredLength - 100)
        {
            try
            {
                await stream.WriteAsync(new byte[100]);
                sent += 100;
            }
            catch (IOException)
            {
                break;
            }
            await Task.WhenAny(response, Task.Delay(200));
        }
        return await response.WaitAsync(TimeSpan.FromSeconds(60));
    }

    private static async Task<Response> ReadResponseAsync(NetworkStream stream)
    {
        var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int headEnd;
        while ((headEnd = IndexOfHeadEnd(buffer)) < 0)
        {
            var n = await stream.ReadAsync(chunk);
            if (n == 0) throw new IOException("The server closed the connection before a response head.");
            buffer.Write(chunk, 0, n);
        }
        var all = buffer.ToArray();
        var lines = Encoding.ASCII.GetString(all, 0, headEnd).Split("\r\n");
        var status = int.Parse(lines[0].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        var headers = lines.Skip(1).Select(l => l.Split(':', 2)).ToDictionary(p => p[0].Trim(), p => p[1].Trim(), StringComparer.OrdinalIgnoreCase);
        var rest = new MemoryStream();
        rest.Write(all, headEnd + 4, all.Length - headEnd - 4);
        var isChunked = headers.TryGetValue("Transfer-Encoding", out var te) && te.Contains("chunked", StringComparison.OrdinalIgnoreCase);
        var length = headers.TryGetValue("Content-Length", out var cl) ? long.Parse(cl, System.Globalization.CultureInfo.InvariantCulture) : 0;
        while (isChunked ? rest.GetBuffer().AsSpan(0, (int)rest.Length).IndexOf("0\r\n\r\n"u8) < 0 : rest.Length < length)
        {
            var n = await stream.ReadAsync(chunk);
            if (n == 0) throw new IOException("The server closed the connection inside the response body.");
            rest.Write(chunk, 0, n);
        }
        var body = isChunked ? Dechunk(rest.ToArray()) : rest.ToArray();
        return new Response(status, headers, body.ToArray());
    }

    private static byte[] Dechunk(byte[] encoded)
    {
        var body = new MemoryStream();
        var at = 0;
        while (true)
        {
            var lineEnd = encoded.AsSpan(at).IndexOf("\r\n"u8) + at;
            var size = Convert.ToInt32(Encoding.ASCII.GetString(encoded, at, lineEnd - at).Split(';')[0], 16);
            if (size == 0) return body.ToArray();
            body.Write(encoded, lineEnd + 2, size);
            at = lineEnd + 2 + size + 2;
        }
    }

    private static int IndexOfHeadEnd(MemoryStream buffer) =>
        buffer.GetBuffer().AsSpan(0, (int)buffer.Length).IndexOf("\r\n\r\n"u8);
}
