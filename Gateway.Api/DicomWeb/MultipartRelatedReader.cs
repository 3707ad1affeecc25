using System.Text;
using InnerEye.Gateway.Api.Uploads;

namespace InnerEye.Gateway.Api.DicomWeb;

/// <summary>
/// Splits a <c>multipart/related</c> body (RFC 2046 §5.1) into its parts as it streams: <see cref="NextPartAsync"/>
/// moves to the next part and returns its headers, <see cref="ReadAsync"/> reads that part's content up to the next
/// delimiter. Part contents pass through one fixed buffer; the delimiter is found with a vectorised search, so a
/// part costs little more than copying it. A body that ends before its closing delimiter, or whose part headers are
/// too long or malformed, throws <see cref="InvalidUploadException"/>.
/// </summary>
public sealed class MultipartRelatedReader
{
    public const int MaxHeaderBytes = 16 * 1024;
    private const int MaxPreambleBytes = 64 * 1024;

    private readonly Stream _body;
    private readonly byte[] _delimiter; // CRLF "--" boundary: what ends a part
    private readonly byte[] _buffer;
    private int _start;
    private int _end;
    private bool _eof;
    private bool _started;
    private bool _inPart;
    private bool _finished;

    public MultipartRelatedReader(Stream body, string boundary, int bufferSize = 1 << 20)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentException.ThrowIfNullOrEmpty(boundary);
        _body = body;
        _delimiter = Encoding.ASCII.GetBytes($"\r\n--{boundary}");
        _buffer = new byte[Math.Max(bufferSize, MaxHeaderBytes + _delimiter.Length + 8)];
    }

    /// <summary>The headers of the next part (names lower-case), the rest of the current part skipped; null after the last part.</summary>
    public async Task<IReadOnlyDictionary<string, string>?> NextPartAsync(CancellationToken ct)
    {
        if (_finished) return null;
        if (!_started)
        {
            _started = true;
            await SkipPreambleAsync(ct);
        }
        else
        {
            // Skip what is left of the current part, then the delimiter itself.
            var scratch = new byte[8192];
            while (_inPart && await ReadAsync(scratch, ct) > 0)
            {
            }
            _start += _delimiter.Length;
        }
        _inPart = false;
        await EnsureAsync(2, ct);
        if (_end - _start >= 2 && _buffer[_start] == '-' && _buffer[_start + 1] == '-')
        {
            _finished = true; // the closing delimiter; what follows is the epilogue
            return null;
        }
        // Transport padding (spaces, tabs), then CRLF and the part's headers up to an empty line.
        var headers = await ReadHeadersAsync(ct);
        _inPart = true;
        return headers;
    }

    /// <summary>Reads the current part's content; 0 at its end.</summary>
    public async ValueTask<int> ReadAsync(Memory<byte> destination, CancellationToken ct)
    {
        if (!_inPart || destination.Length == 0) return 0;
        while (true)
        {
            var available = _buffer.AsSpan(_start, _end - _start);
            var at = available.IndexOf(_delimiter);
            int safe;
            if (at >= 0) safe = at;
            else safe = Math.Max(0, available.Length - (_delimiter.Length - 1)); // a delimiter may begin in the last bytes
            if (safe > 0)
            {
                var n = Math.Min(safe, destination.Length);
                available[..n].CopyTo(destination.Span);
                _start += n;
                return n;
            }
            if (at == 0)
            {
                _inPart = false;
                return 0;
            }
            if (_eof) throw new InvalidUploadException("The multipart/related body ends inside a part, before its closing delimiter.");
            await FillAsync(ct);
        }
    }

    /// <summary>The current part's content as a stream (read it to its end before the next part).</summary>
    public Stream PartStream() => new PartContent(this);

    /// <summary>Skips to just after the first delimiter; a CRLF is put before the body so that it may open with the boundary.</summary>
    private async Task SkipPreambleAsync(CancellationToken ct)
    {
        _buffer[0] = (byte)'\r';
        _buffer[1] = (byte)'\n';
        _end = 2;
        var skipped = 0;
        while (true)
        {
            var available = _buffer.AsSpan(_start, _end - _start);
            var at = available.IndexOf(_delimiter);
            if (at >= 0)
            {
                _start += at + _delimiter.Length;
                return;
            }
            var drop = Math.Max(0, available.Length - (_delimiter.Length - 1));
            _start += drop;
            skipped += drop;
            if (skipped > MaxPreambleBytes || _eof)
                throw new InvalidUploadException("The body does not hold the multipart boundary named in its Content-Type.");
            await FillAsync(ct);
        }
    }

    /// <summary>After a delimiter: transport padding, CRLF, header lines, an empty line.</summary>
    private async Task<IReadOnlyDictionary<string, string>> ReadHeadersAsync(CancellationToken ct)
    {
        while (true)
        {
            var available = _buffer.AsSpan(_start, _end - _start);
            var lineEnd = available.IndexOf("\r\n"u8);
            if (lineEnd >= 0)
            {
                if (available[..lineEnd].Trim(" \t"u8).Length != 0)
                    throw new InvalidUploadException("A multipart boundary is followed by other text than a line end.");
                var rest = available[(lineEnd + 2)..];
                if (rest.StartsWith("\r\n"u8))
                {
                    _start += lineEnd + 4;
                    return new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
                }
                var blank = rest.IndexOf("\r\n\r\n"u8);
                if (blank >= 0)
                {
                    var headers = Parse(rest[..blank]);
                    _start += lineEnd + 2 + blank + 4;
                    return headers;
                }
            }
            if (available.Length > MaxHeaderBytes)
                throw new InvalidUploadException($"A part's headers are longer than {MaxHeaderBytes} bytes or never end.");
            if (_eof) throw new InvalidUploadException("The multipart/related body ends inside a part's headers.");
            await FillAsync(ct);
        }
    }

    private static Dictionary<string, string> Parse(ReadOnlySpan<byte> block)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in Encoding.Latin1.GetString(block).Split("\r\n"))
        {
            if (line.Length == 0) continue;
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0) throw new InvalidUploadException("A part's header line has no name.");
            headers[line[..colon].Trim()] = line[(colon + 1)..].Trim();
        }
        return headers;
    }

    private async Task EnsureAsync(int count, CancellationToken ct)
    {
        while (_end - _start < count && !_eof) await FillAsync(ct);
    }

    /// <summary>Moves what is unread to the front of the buffer and reads more after it.</summary>
    private async Task FillAsync(CancellationToken ct)
    {
        if (_start > 0)
        {
            _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
            _end -= _start;
            _start = 0;
        }
        if (_end == _buffer.Length) throw new InvalidUploadException("A part's headers do not fit the reader's buffer.");
        var n = await _body.ReadAsync(_buffer.AsMemory(_end), ct).ConfigureAwait(false);
        if (n == 0) _eof = true;
        _end += n;
    }

    private sealed class PartContent(MultipartRelatedReader reader) : ReadOnlyStream
    {
        public override int Read(byte[] buffer, int offset, int count) =>
            reader.ReadAsync(buffer.AsMemory(offset, count), CancellationToken.None).AsTask().GetAwaiter().GetResult();

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            reader.ReadAsync(buffer, cancellationToken);
    }
}
