using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using InnerEye.Gateway.Api.Tests.Support;

namespace InnerEye.Gateway.Api.Tests;

/// <summary>The InnerEye-Inference routes, with the behaviours the stock InnerEye gateway depends on.</summary>
public sealed class InnerEyeRouteTests(ContractFactory factory) : IClassFixture<ContractFactory>
{
    private const string Model = "PassThroughModel:1729";

    /// <summary>A client configured as the gateway's: secret header, its User-Agent and Accept: text/html.</summary>
    private HttpClient Gateway()
    {
        var client = factory.Authorized();
        client.DefaultRequestHeaders.UserAgent.ParseAdd("InnerEye-Gateway");
        client.DefaultRequestHeaders.Accept.ParseAdd("text/html");
        return client;
    }

    private static ByteArrayContent ZipBody(byte[] zip)
    {
        var content = new ByteArrayContent(zip);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/zip");
        return content;
    }

    private async Task<string> StartAsync(HttpClient client, string model, byte[] zip)
    {
        var response = await client.PostAsync($"/v1/model/start/{model}", ZipBody(zip));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{response.StatusCode}: {body}");
        return body;
    }

    [SkippableFact]
    public async Task PingIsAnEmpty200()
    {
        var response = await Gateway().GetAsync("/v1/ping");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    [SkippableFact]
    public async Task StartAnswersTheBareIdThenResultsAre202EmptyThenASingleEntryZip()
    {
        var client = Gateway();
        var response = await client.PostAsync($"/v1/model/start/{Model}", ZipBody(Phantoms.Zip()));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        var id = await response.Content.ReadAsStringAsync();
        Assert.Matches(new Regex("^[0-9a-f]{32}$"), id); // bare: no JSON, no quotes, no newline

        var sawRunning = false;
        byte[]? zip = null;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        while (zip is null && DateTime.UtcNow < deadline)
        {
            var poll = await client.GetAsync($"/v1/model/results/{id}");
            if (poll.StatusCode == HttpStatusCode.Accepted)
            {
                Assert.Empty(await poll.Content.ReadAsByteArrayAsync()); // any text in a 202 makes the gateway give up
                sawRunning = true;
                await Task.Delay(200);
                continue;
            }
            Assert.Equal(HttpStatusCode.OK, poll.StatusCode);
            Assert.Equal("application/zip", poll.Content.Headers.ContentType?.MediaType);
            zip = await poll.Content.ReadAsByteArrayAsync();
        }
        Assert.True(sawRunning, "no 202 was seen while the job ran");
        Assert.NotNull(zip);
        HttpAssertions.AssertSingleEntryRtZip(zip!);

        // Repeatable: the same bytes again.
        var again = await client.GetAsync($"/v1/model/results/{id}");
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(zip, await again.Content.ReadAsByteArrayAsync());
    }

    [SkippableTheory]
    [InlineData("PassThroughModel")]
    [InlineData("PassThroughModel:1729")]
    [InlineData("PassThroughModel%3A1729")]
    public async Task ModelIdsWithAndWithoutAVersionAreAccepted(string model)
    {
        var id = await StartAsync(Gateway(), model, Phantoms.Zip());
        Assert.Matches("^[0-9a-f]{32}$", id);
    }

    [SkippableTheory]
    [InlineData("NoSuchModel")]
    [InlineData("PassThroughModel:9999")]
    public async Task StartWithAnUnknownModelIs404InvalidModelId(string model)
    {
        var response = await Gateway().PostAsync($"/v1/model/start/{model}", ZipBody(Phantoms.Zip()));
        await HttpAssertions.AssertErrorAsync(response, 404, "InvalidModelId", "application/json");
    }

    [SkippableTheory]
    [InlineData("0123456789abcdef0123456789abcdef")]
    [InlineData("api_inference_1629291609_fb5dfdf9")]
    [InlineData("..%2F..%2Fetc")]
    public async Task ResultsOfAnUnknownRunAre404InvalidRunId(string id)
    {
        var response = await Gateway().GetAsync($"/v1/model/results/{id}");
        await HttpAssertions.AssertErrorAsync(response, 404, "InvalidRunId", "application/json");
    }

    [SkippableFact]
    public async Task ABodyThatIsNotAZipIsAcceptedThenItsResultIs400InvalidZipFile()
    {
        var client = Gateway();
        var id = await StartAsync(client, Model, new byte[1024]);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        HttpResponseMessage poll;
        while ((poll = await client.GetAsync($"/v1/model/results/{id}")).StatusCode == HttpStatusCode.Accepted && DateTime.UtcNow < deadline)
            await Task.Delay(200);
        var body = await HttpAssertions.AssertErrorAsync(poll, 400, "InvalidZipFile", "application/json");
        Assert.Equal("BAD_REQUEST", body.GetProperty("code").GetString());
    }

    [SkippableFact]
    public async Task ACancelledRunIs500RunCancelled()
    {
        var client = Gateway();
        var id = await StartAsync(client, Model, Phantoms.Zip());
        var cancel = await client.DeleteAsync($"/api/v1/models/{Model}/segmentation/{id}");
        Assert.Equal(HttpStatusCode.Accepted, cancel.StatusCode);
        var response = await client.GetAsync($"/v1/model/results/{id}");
        var body = await HttpAssertions.AssertErrorAsync(response, 500, "RunCancelled", "application/json");
        Assert.Equal("INTERNAL_SERVER_ERROR", body.GetProperty("code").GetString());
    }

    [SkippableFact]
    public async Task AnyAcceptHeaderIsServed()
    {
        var client = factory.Authorized();
        var id = await StartAsync(client, Model, Phantoms.Zip());
        foreach (var accept in new[] { "text/html", "application/json", "image/png", "*/*" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/model/results/{id}");
            request.Headers.Accept.ParseAdd(accept);
            var response = await client.SendAsync(request);
            Assert.True(response.StatusCode is HttpStatusCode.Accepted or HttpStatusCode.OK, $"{accept}: {response.StatusCode}");
        }
    }
}
