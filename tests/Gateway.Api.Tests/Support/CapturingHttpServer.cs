using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace InnerEye.Gateway.Api.Tests.Support;

/// <summary>One HTTP request exactly as it came off the socket: header lines verbatim, body de-chunked.</summary>
public sealed record CapturedRequest(string Method, string Target, IReadOnlyList<KeyValuePair<string, string>> Headers, byte[] Body, bool Chunked)
{
    /// <summary>The value of the header (first one, name compared without case), or null.</summary>
    public string? Header(string name) => Headers.Where(h => h.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value)
        .FirstOrDefault();
}

/// <summary>What the capturing server answers: status, content type and body.</summary>
public sealed record CannedReply(int Status, string ContentType = "application/dicom+json", string Body = "");

/// <summary>
/// A raw HTTP/1.1 server on a free loopback port that records every request and answers each with <see cref="Reply"/>,
/// then closes the connection. It stands in for a DICOMweb server to see what a client really sends.
/// </summary>
public sealed class CapturingHttpServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<CapturedRequest> _requests = new();
    private readonly Task _accepting;

    public CapturingHttpServer()
    {
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public Uri Address => new($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");

    /// <summary>The answer to the requests from now on; may also be chosen per request.</summary>
    public Func<CapturedRequest, CannedReply> Reply { get; set; } = _ => new CannedReply(200, Body: "{}");

    public IReadOnlyList<CapturedRequest> Requests => [.. _requests];

    public void Clear() => _requests.Clear();

    /// <summary>Waits until at least <paramref name="count"/> requests arrived.</summary>
    public async Task<IReadOnlyList<CapturedRequest>> WaitForRequestsAsync(int count, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (_requests.Count < count)
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"{_requests.Count} of {count} requests arrived within {timeout}.");
            await Task.Delay(50);
        }
        return Requests;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try { await _accepting; } catch (OperationCanceledException) { } catch (SocketException) { } catch (ObjectDisposedException) { }
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var client = await _listener.AcceptTcpClientAsync(_stop.Token);
            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            var stream = client.GetStream();
            var reader = new ByteReader(stream);
            var requestLine = (await reader.ReadLineAsync()).Split(' ');
            var headers = new List<KeyValuePair<string, string>>();
            for (var line = await reader.ReadLineAsync(); line.Length > 0; line = await reader.ReadLineAsync())
            {
                var colon = line.IndexOf(':', StringComparison.Ordinal);
                headers.Add(new(line[..colon], line[(colon + 1)..].Trim()));
            }
            var partial = new CapturedRequest(requestLine[0], requestLine[1], headers, [], false);
            var chunked = partial.Header("Transfer-Encoding")?.Contains("chunked", StringComparison.OrdinalIgnoreCase) == true;
            var body = new MemoryStream();
            if (chunked)
            {
                for (var size = ChunkSize(await reader.ReadLineAsync()); size > 0; size = ChunkSize(await reader.ReadLineAsync()))
                {
                    body.Write(await reader.ReadBytesAsync(size));
                    await reader.ReadLineAsync();
                }
                while ((await reader.ReadLineAsync()).Length > 0)
                {
                }
            }
            else if (partial.Header("Content-Length") is { } length)
            {
                body.Write(await reader.ReadBytesAsync(int.Parse(length, CultureInfo.InvariantCulture)));
            }
            var request = partial with { Body = body.ToArray(), Chunked = chunked };
            _requests.Enqueue(request);
            var reply = Reply(request);
            var content = Encoding.UTF8.GetBytes(reply.Body);
            var head = $"HTTP/1.1 {reply.Status} Status\r\nContent-Type: {reply.ContentType}\r\nContent-Length: " +
                $"{content.Length}\r\nConnection: close\r\n\r\n";
            await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
            await stream.WriteAsync(content);
            await stream.FlushAsync();
        }
    }

    private static int ChunkSize(string line) => int.Parse(line.Split(';')[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture);

    /// <summary>Reads CRLF lines and exact byte counts from a stream through one buffer.</summary>
    private sealed class ByteReader(Stream stream)
    {
        private readonly byte[] _buffer = new byte[64 * 1024];
        private int _start;
        private int _end;

        public async Task<string> ReadLineAsync()
        {
            var line = new MemoryStream();
            while (true)
            {
                if (_start == _end && !await FillAsync()) throw new EndOfStreamException("The connection closed in a line.");
                var b = _buffer[_start++];
                if (b == '\n') break;
                line.WriteByte(b);
            }
            return Encoding.Latin1.GetString(line.ToArray()).TrimEnd('\r');
        }

        public async Task<byte[]> ReadBytesAsync(int count)
        {
            var result = new byte[count];
            for (var done = 0; done < count;)
            {
                if (_start == _end && !await FillAsync()) throw new EndOfStreamException($"The connection closed after {done} of {count} bytes.");
                var n = Math.Min(count - done, _end - _start);
                Array.Copy(_buffer, _start, result, done, n);
                _start += n;
                done += n;
            }
            return result;
        }

        private async Task<bool> FillAsync()
        {
            _start = 0;
            _end = await stream.ReadAsync(_buffer);
            return _end > 0;
        }
    }
}
