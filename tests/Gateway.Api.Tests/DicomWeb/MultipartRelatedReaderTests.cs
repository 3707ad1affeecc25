using System.Text;
using InnerEye.Gateway.Api.DicomWeb;
using InnerEye.Gateway.Api.Uploads;

namespace InnerEye.Gateway.Api.Tests.DicomWeb;

public sealed class MultipartRelatedReaderTests
{
    private const string Boundary = "b0und4ry";

    private static async Task<List<(IReadOnlyDictionary<string, string> Headers, byte[] Content)>> ReadAllAsync(byte[] body, int bufferSize,
        int chunk = 4096)
    {
        var reader = new MultipartRelatedReader(new TrickleStream(body, chunk), Boundary, bufferSize);
        var parts = new List<(IReadOnlyDictionary<string, string>, byte[])>();
        while (await reader.NextPartAsync(CancellationToken.None) is { } headers)
        {
            using var content = new MemoryStream();
            await reader.PartStream().CopyToAsync(content);
            parts.Add((headers, content.ToArray()));
        }
        return parts;
    }

    [Theory]
    [InlineData(1 << 20, 65536)]
    [InlineData(16 * 1024 + 64, 7)]
    [InlineData(16 * 1024 + 64, 1)]
    public async Task PartsComeBackByteForByteWhereverTheDelimitersFallInTheBuffer(int bufferSize, int chunk)
    {
        var random = new Random(11);
        // Contents full of near-delimiters: CR LF, "--", the boundary without its dashes, a cut-off delimiter.
        var pieces = new[] { "\r\n", "--", Boundary, "\r\n--b0und", "\r\n-", "\r", "x" };
        var contents = Enumerable.Range(0, 12).Select(i =>
        {
            var text = new StringBuilder();
            for (var k = 0; k < random.Next(0, 400); k++) text.Append(pieces[random.Next(pieces.Length)]);
            var bytes = Encoding.ASCII.GetBytes(text.ToString()).Concat(Enumerable.Range(0, random.Next(0, 30_000))
                .Select(_ => (byte)random.Next(256))).ToArray();
            return bytes;
        }).ToList();
        var body = new MemoryStream();
        body.Write("a preamble line\r\n"u8);
        for (var i = 0; i < contents.Count; i++)
        {
            var headers = i % 3 == 0 ? "" : i % 3 == 1 ? "Content-Type: application/dicom\r\n"
                : "Content-Type: application/dicom\r\nContent-Length: 5\r\n";
            body.Write(Encoding.ASCII.GetBytes($"--{Boundary}{(i == 4 ? " \t" : "")}\r\n{headers}\r\n"));
            body.Write(contents[i]);
            body.Write("\r\n"u8);
        }
        body.Write(Encoding.ASCII.GetBytes($"--{Boundary}--\r\nan epilogue"));

        var parts = await ReadAllAsync(body.ToArray(), bufferSize, chunk);
        Assert.Equal(contents.Count, parts.Count);
        for (var i = 0; i < contents.Count; i++)
        {
            Assert.Equal(contents[i], parts[i].Content);
            Assert.Equal(i % 3 == 0 ? null : "application/dicom", parts[i].Headers.GetValueOrDefault("content-type"));
        }
    }

    [Fact]
    public async Task ABodyThatOpensWithTheBoundaryAndEndsWithoutACrLfIsRead()
    {
        var parts = await ReadAllAsync(Encoding.ASCII.GetBytes($"--{Boundary}\r\n\r\nabc\r\n--{Boundary}--"), 1 << 20);
        Assert.Equal("abc"u8.ToArray(), Assert.Single(parts).Content);
    }

    [Fact]
    public async Task APartLeftUnreadIsSkipped()
    {
        var body = Encoding.ASCII.GetBytes($"--{Boundary}\r\n\r\n{new string('a', 50_000)}\r\n--{Boundary}\r\n\r\nsecond\r\n--{Boundary}--\r\n");
        var reader = new MultipartRelatedReader(new MemoryStream(body), Boundary);
        Assert.NotNull(await reader.NextPartAsync(CancellationToken.None));
        Assert.NotNull(await reader.NextPartAsync(CancellationToken.None));
        var content = new MemoryStream();
        await reader.PartStream().CopyToAsync(content);
        Assert.Equal("second"u8.ToArray(), content.ToArray());
        Assert.Null(await reader.NextPartAsync(CancellationToken.None));
    }

    [Theory]
    [InlineData("--b0und4ry\r\n\r\nabc")] // ends inside a part
    [InlineData("--b0und4ry\r\n\r\nabc\r\n--b0und4ry")] // ends after a delimiter
    [InlineData("--b0und4ry\r\nContent-Type: application/dicom\r\n")] // ends inside the headers
    [InlineData("--b0und4ry junk\r\n\r\nabc\r\n--b0und4ry--")] // text after the boundary
    [InlineData("--b0und4ry\r\nno colon here\r\n\r\nabc\r\n--b0und4ry--")] // a header line without a name
    [InlineData("no boundary anywhere")]
    [InlineData("")]
    public async Task AMalformedBodyIsRefused(string body) =>
        await Assert.ThrowsAsync<InvalidUploadException>(() => ReadAllAsync(Encoding.ASCII.GetBytes(body), 1 << 20));

    [Fact]
    public async Task EndlessHeadersAreRefusedWithinTheirLimit()
    {
        var body = Encoding.ASCII.GetBytes($"--{Boundary}\r\nX-Long: {new string('h', 100_000)}");
        await Assert.ThrowsAsync<InvalidUploadException>(() => ReadAllAsync(body, 1 << 20));
    }

    /// <summary>Gives at most <paramref name="chunk"/> bytes a read, as a network does.</summary>
    private sealed class TrickleStream(byte[] data, int chunk) : ReadOnlyStream
    {
        private int _position;

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = Math.Min(Math.Min(count, chunk), data.Length - _position);
            data.AsSpan(_position, n).CopyTo(buffer.AsSpan(offset));
            _position += n;
            return n;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var n = Math.Min(Math.Min(buffer.Length, chunk), data.Length - _position);
            data.AsSpan(_position, n).CopyTo(buffer.Span);
            _position += n;
            return ValueTask.FromResult(n);
        }
    }
}
