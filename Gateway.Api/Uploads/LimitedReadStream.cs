namespace InnerEye.Gateway.Api.Uploads;

/// <summary>Reads through to an inner stream and throws <see cref="UploadTooLargeException"/> once more than the limit has been read.</summary>
public sealed class LimitedReadStream(Stream inner, long limit) : ReadOnlyStream
{
    private long _read;

    public override long Position
    {
        get => _read;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        Count(await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false));

    private int Count(int n)
    {
        _read += n;
        if (_read > limit) throw new UploadTooLargeException(limit);
        return n;
    }
}
