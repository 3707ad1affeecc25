using System.Net;
using System.Text.Json;
using InnerEye.Gateway.Api.Tests.Support;

namespace InnerEye.Gateway.Api.Tests;

/// <summary>
/// A client that writes its whole body before reading gets the early answer, not a reset: the body (40 MiB, past
/// Kestrel's own 30 MB drain limit) is read and discarded before the status goes out.
/// </summary>
[Collection(EdgeCollection.Name)]
public sealed class EarlyAnswerTests(EdgeFactory factory)
{
    internal static readonly byte[] LargeBody = new byte[40 << 20];

    public static TheoryData<string, string?, bool, int> EarlyAnswers => new()
    {
        { "/v1/model/start/PassThroughModel", null, false, 401 },
        { "/api/v1/models/PassThroughModel/segmentation", "wrong", false, 403 },
        { "/v1/model/start/PassThroughModel", GatewayFactory.Secret, false, 413 },
        { "/v1/model/start/PassThroughModel", GatewayFactory.Secret, true, 413 },
        { "/api/v1/models/PassThroughModel/segmentation", GatewayFactory.Secret, true, 413 },
        { "/v1/model/start/NoSuchModel", GatewayFactory.Secret, false, 404 },
    };

    [SkippableTheory]
    [MemberData(nameof(EarlyAnswers))]
    public async Task TheStatusReachesAClientThatWritesItsWholeBodyFirst(string path, string? secret, bool chunked, int status)
    {
        var headers = new Dictionary<string, string> { ["Content-Type"] = "application/zip" };
        if (secret is not null) headers["API_AUTH_SECRET"] = secret;
        var response = await RawHttp.SendAsync(factory.Address, "POST", path, headers, LargeBody, chunked);
        Assert.Equal(status, response.Status);
        Assert.Equal(status, JsonDocument.Parse(response.Body).RootElement.GetProperty("status").GetInt32());
        Assert.False(response.Headers.TryGetValue("Connection", out var connection) && connection == "close", "the connection was not kept");
    }
}

public sealed class EarlyBusyAnswerTests(BusyEdgeFactory factory) : IClassFixture<BusyEdgeFactory>
{
    [SkippableFact]
    public async Task A503WithRetryAfterReachesAClientThatWritesItsWholeBodyFirst()
    {
        var client = factory.AuthorizedSocketClient();
        var first = await client.PostAsync("/v1/model/start/PassThroughModel", new ByteArrayContent(Phantoms.Zip()));
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        await HttpAssertions.WaitForStatusAsync(client, "PassThroughModel", await first.Content.ReadAsStringAsync(), "running");

        var headers = new Dictionary<string, string> { ["API_AUTH_SECRET"] = GatewayFactory.Secret, ["Content-Type"] = "application/zip" };
        var response = await RawHttp.SendAsync(factory.Address, "POST", "/v1/model/start/PassThroughModel", headers, EarlyAnswerTests.LargeBody);
        Assert.Equal(503, response.Status);
        Assert.Equal("7", response.Headers["Retry-After"]);
        Assert.Equal("SERVICE_UNAVAILABLE", JsonDocument.Parse(response.Body).RootElement.GetProperty("code").GetString());
    }
}
