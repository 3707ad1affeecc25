using System.Net;
using System.Net.Http.Headers;
using InnerEye.Gateway.Api.Tests.Support;

namespace InnerEye.Gateway.Api.Tests;

public sealed class UploadLimitTests(SmallUploadFactory factory) : IClassFixture<SmallUploadFactory>
{
    [SkippableTheory]
    [InlineData("/v1/model/start/PassThroughModel", "application/json")]
    [InlineData("/api/v1/models/PassThroughModel/segmentation", "application/problem+json")]
    public async Task AnUploadOverTheLimitIs413WhetherItsLengthIsDeclaredOrNot(string path, string mediaType)
    {
        var client = factory.Authorized();
        var declared = await client.PostAsync(path, new ByteArrayContent(new byte[5000]));
        await HttpAssertions.AssertErrorAsync(declared, 413, null, mediaType);

        // Chunked: no Content-Length, so the limit is found while streaming.
        var chunked = new StreamContent(new MemoryStream(new byte[50_000]));
        chunked.Headers.ContentType = new MediaTypeHeaderValue("application/zip");
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = chunked };
        request.Headers.TransferEncodingChunked = true;
        await HttpAssertions.AssertErrorAsync(await client.SendAsync(request), 413, null, mediaType);

        var inputs = Path.Combine(factory.DataPath, "artifacts", "inputs");
        Assert.True(!Directory.Exists(inputs) || Directory.GetFiles(inputs).Length == 0, "a refused upload left a file");
    }
}

public sealed class QueueFullTests(BusyFactory factory) : IClassFixture<BusyFactory>
{
    [SkippableFact]
    public async Task WhenEveryReplicaIsFullASubmitIs503WithRetryAfter()
    {
        var client = factory.Authorized();
        var first = await client.PostAsync("/v1/model/start/PassThroughModel", new ByteArrayContent(Phantoms.Zip()));
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        var id = await first.Content.ReadAsStringAsync();
        await HttpAssertions.WaitForStatusAsync(client, "PassThroughModel", id, "running");

        var second = await client.PostAsync("/v1/model/start/PassThroughModel", new ByteArrayContent(Phantoms.Zip()));
        await HttpAssertions.AssertErrorAsync(second, 503, null, "application/json");
        Assert.Equal(TimeSpan.FromSeconds(7), second.Headers.RetryAfter?.Delta);

        var seed = await client.PostAsync("/api/v1/models/PassThroughModel/segmentation", new ByteArrayContent(Phantoms.Zip()));
        await HttpAssertions.AssertErrorAsync(seed, 503, null, "application/problem+json");
    }
}
