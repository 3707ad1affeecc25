using System.IO.Hashing;
using InnerEye.Gateway.Api.Uploads;

namespace InnerEye.Gateway.Api.DicomWeb;

/// <summary>
/// Reads through to a part's body, hashing it (128-bit XXH3: tells a resent instance from a changed one at memory speed)
/// and refusing more than <paramref name="limit"/> bytes.
/// </summary>
public sealed class HashingReadStream(Stream inner, long limit) : ReadOnlyStream
{
    private readonly XxHash128 _hash = new();

    public long BytesRead { get; private set; }

    /// <summary>The hash of everything read, as lower-case hex (once the part is read to its end).</summary>
    public string ContentHash() => Convert.ToHexStringLower(_hash.GetCurrentHash());

    public override long Position
    {
        get => BytesRead;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Take(buffer.AsSpan(offset, inner.Read(buffer, offset, count)));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var n = await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        return Take(buffer.Span[..n]);
    }

    private int Take(ReadOnlySpan<byte> read)
    {
        BytesRead += read.Length;
        if (BytesRead > limit) throw new InstanceTooLargeException(limit);
        _hash.Append(read);
        return read.Length;
    }
}
