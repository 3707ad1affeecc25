namespace InnerEye.Gateway.Api.Uploads;

/// <summary>
/// The file part of a multipart upload. At the part's end the rest of the request body (later parts, the closing
/// boundary) is read through the whole body's <see cref="LimitedReadStream"/>, so the upload limit holds for the whole
/// body and not only up to the file.
/// </summary>
public sealed class MultipartFileStream(Stream part, LimitedReadStream wholeBody) : ReadOnlyStream
{
    public override int Read(byte[] buffer, int offset, int count)
    {
        var n = part.Read(buffer, offset, count);
        if (n == 0 && count > 0) wholeBody.CopyTo(Null);
        return n;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var n = await part.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        if (n == 0 && buffer.Length > 0) await wholeBody.CopyToAsync(Null, cancellationToken).ConfigureAwait(false);
        return n;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) part.Dispose();
        base.Dispose(disposing);
    }
}
