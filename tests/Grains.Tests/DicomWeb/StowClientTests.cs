using System.Net;
using System.Net.Sockets;
using System.Text;
using InnerEye.Grains.DicomWeb;
using InnerEye.Grains.Tests.Support;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace InnerEye.Grains.Tests.DicomWeb;

public sealed class StowClientTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    /// <summary>A STOW-RS response whose FailedSOPSequence has one item per reason.</summary>
    private static string Failed(params int[] reasons) =>
        "{\"00081198\":{\"vr\":\"SQ\",\"Value\":[" + string.Join(",", reasons.Select(Item)) + "]}}";

    private static string Item(int reason) =>
        $"{{\"00081150\":{{\"vr\":\"UI\",\"Value\":[\"1.2.3\"]}},\"00081197\":{{\"vr\":\"US\",\"Value\":[{reason}]}}}}";

    [Theory]
    [InlineData(HttpStatusCode.OK)]
    [InlineData(HttpStatusCode.Accepted)]
    public void ASuccessIsDelivered(HttpStatusCode status)
    {
        var outcome = StowClient.Judge(status, "{\"00081199\":{\"vr\":\"SQ\",\"Value\":[{}]}}");
        Assert.Equal(StowOutcomeKind.Delivered, outcome.Kind);
    }

    [Theory]
    [InlineData(HttpStatusCode.OK)]
    [InlineData(HttpStatusCode.Accepted)]
    [InlineData(HttpStatusCode.Conflict)]
    public void AFailedSopSequenceIsARejectionNamingItsReasons(HttpStatusCode status)
    {
        var outcome = StowClient.Judge(status, Failed(0xA900, 0xC000));
        Assert.Equal(StowOutcomeKind.Rejected, outcome.Kind);
        Assert.Contains("0xA900", outcome.Detail);
        Assert.Contains("0xC000", outcome.Detail);
        Assert.Contains($"HTTP {(int)status}", outcome.Detail);
    }

    [Fact]
    public void AFailedSopSequenceMayComeInAnArray() =>
        Assert.Equal(["0x0110"], StowClient.FailureReasons($"[{Failed(0x0110)}]"));

    [Theory]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("{}")]
    [InlineData("[]")]
    public void ABodyWithoutFailuresHasNoReasons(string body) => Assert.Empty(StowClient.FailureReasons(body));

    [Theory]
    [InlineData(HttpStatusCode.BadRequest)]
    [InlineData(HttpStatusCode.Unauthorized)]
    [InlineData(HttpStatusCode.Forbidden)]
    [InlineData(HttpStatusCode.NotFound)]
    [InlineData(HttpStatusCode.Conflict)]
    [InlineData(HttpStatusCode.UnsupportedMediaType)]
    public void AClientErrorIsARejection(HttpStatusCode status)
    {
        var outcome = StowClient.Judge(status, "no such study store");
        Assert.Equal(StowOutcomeKind.Rejected, outcome.Kind);
        Assert.Equal($"HTTP {(int)status}: no such study store", outcome.Detail);
    }

    [Theory]
    [InlineData(HttpStatusCode.RequestTimeout)]
    [InlineData(HttpStatusCode.TooManyRequests)]
    [InlineData(HttpStatusCode.InternalServerError)]
    [InlineData(HttpStatusCode.BadGateway)]
    [InlineData(HttpStatusCode.ServiceUnavailable)]
    public void ATimeoutThrottlingOrServerErrorIsTransient(HttpStatusCode status)
    {
        var outcome = StowClient.Judge(status, "");
        Assert.Equal(StowOutcomeKind.Transient, outcome.Kind);
        Assert.Equal($"HTTP {(int)status}", outcome.Detail);
    }

    [Fact]
    public void ALongBodyIsShortenedInTheDetail()
    {
        var outcome = StowClient.Judge(HttpStatusCode.BadRequest, new string('x', 5000));
        Assert.True(outcome.Detail.Length < 500, outcome.Detail);
    }

    [Fact]
    public async Task StoresTheFileAsOnePartOfAMultipartRelatedPost()
    {
        await using var server = await StowServer.StartAsync(HttpStatusCode.OK);
        var file = Enumerable.Range(0, 70_000).Select(i => (byte)(i * 7)).ToArray();
        var destination = new DicomWebDestination
        {
            Url = server.BaseUrl,
            Username = "innereye",
            Password = "p@ss:word",
            Headers = { ["X-Foo"] = "bar", ["X-Tenant"] = "radiotherapy" },
        };
        using var http = new HttpClient();
        var outcome = await new StowClient(http).StoreAsync(destination, [() => new MemoryStream(file)], Timeout, CancellationToken.None);
        Assert.Equal(StowOutcomeKind.Delivered, outcome.Kind);

        var request = Assert.Single(server.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal("/dicom-web/studies", request.Path);
        Assert.Equal("bar", request.Headers["X-Foo"]);
        Assert.Equal("radiotherapy", request.Headers["X-Tenant"]);
        Assert.Equal("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("innereye:p@ss:word")), request.Headers["Authorization"]);
        Assert.Contains("application/dicom+json", request.Headers["Accept"]);

        var contentType = MediaTypeHeaderValue.Parse(request.ContentType);
        Assert.Equal("multipart/related", contentType.MediaType.Value);
        Assert.Equal("\"application/dicom\"", contentType.Parameters.Single(p => p.Name == "type").Value.Value);
        var boundary = HeaderUtilities.RemoveQuotes(contentType.Boundary).Value;
        Assert.False(string.IsNullOrEmpty(boundary));

        var reader = new MultipartReader(boundary!, new MemoryStream(request.Body));
        var part = await reader.ReadNextSectionAsync();
        Assert.NotNull(part);
        Assert.Equal("application/dicom", part.ContentType);
        using var bytes = new MemoryStream();
        await part.Body.CopyToAsync(bytes);
        Assert.Equal(file, bytes.ToArray());
        Assert.Null(await reader.ReadNextSectionAsync());
    }

    [Fact]
    public async Task NoCredentialsSendNoAuthorization()
    {
        await using var server = await StowServer.StartAsync(HttpStatusCode.OK);
        using var http = new HttpClient();
        await new StowClient(http).StoreAsync(new DicomWebDestination { Url = server.BaseUrl }, [() => new MemoryStream([1])], Timeout,
            CancellationToken.None);
        Assert.False(Assert.Single(server.Requests).Headers.ContainsKey("Authorization"));
    }

    [Fact]
    public async Task TheServersAnswerIsJudged()
    {
        await using var server = await StowServer.StartAsync((HttpStatusCode.Conflict, Failed(0xA900)), (HttpStatusCode.ServiceUnavailable, ""));
        using var http = new HttpClient();
        var client = new StowClient(http);
        var destination = new DicomWebDestination { Url = server.BaseUrl };
        var rejected = await client.StoreAsync(destination, [() => new MemoryStream([1])], Timeout, CancellationToken.None);
        Assert.Equal(StowOutcomeKind.Rejected, rejected.Kind);
        Assert.Contains("0xA900", rejected.Detail);
        var transient = await client.StoreAsync(destination, [() => new MemoryStream([1])], Timeout, CancellationToken.None);
        Assert.Equal(StowOutcomeKind.Transient, transient.Kind);
    }

    [Fact]
    public async Task AServerThatDoesNotAnswerInTimeIsTransient()
    {
        using var silent = new TcpListener(IPAddress.Loopback, 0); // accepts connections, never answers
        silent.Start();
        var port = ((IPEndPoint)silent.LocalEndpoint).Port;
        using var http = new HttpClient();
        var outcome = await new StowClient(http).StoreAsync(new DicomWebDestination { Url = $"http://127.0.0.1:{port}/" },
            [() => new MemoryStream([1])], TimeSpan.FromMilliseconds(300), CancellationToken.None);
        Assert.Equal(StowOutcomeKind.Transient, outcome.Kind);
        Assert.Contains("No answer within", outcome.Detail);
    }

    [Fact]
    public async Task CancellingTheCallerIsNotAnOutcome()
    {
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var port = ((IPEndPoint)silent.LocalEndpoint).Port;
        using var http = new HttpClient();
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => new StowClient(http).StoreAsync(
            new DicomWebDestination { Url = $"http://127.0.0.1:{port}/" }, [() => new MemoryStream([1])], Timeout, cancel.Token));
    }

    [Fact]
    public async Task AnUnreachableServerIsTransient()
    {
        int port;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }
        using var http = new HttpClient();
        var outcome = await new StowClient(http).StoreAsync(new DicomWebDestination { Url = $"http://127.0.0.1:{port}/" },
            [() => new MemoryStream([1])], Timeout, CancellationToken.None);
        Assert.Equal(StowOutcomeKind.Transient, outcome.Kind);
        Assert.Contains("could not be reached", outcome.Detail);
    }
}
