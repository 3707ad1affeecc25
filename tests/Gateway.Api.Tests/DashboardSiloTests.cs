using System.Net;
using System.Text.Json;
using InnerEye.Gateway.Api.Tests.Support;

namespace InnerEye.Gateway.Api.Tests;

[Collection(EdgeCollection.Name)]
public sealed class DashboardSiloTests(EdgeFactory factory)
{
    public static TheoryData<string, string> SiloRoutesAndAddresses()
    {
        var data = new TheoryData<string, string>();
        foreach (var route in new[] { "HistoricalStats", "SiloProperties", "SiloStats", "SiloCounters" })
        {
            data.Add(route, "not-a-silo");
            data.Add(route, "127.0.0.1:1@1");
        }
        return data;
    }

    [SkippableTheory]
    [MemberData(nameof(SiloRoutesAndAddresses))]
    public async Task AnAddressOfNoActiveSiloIs404UnknownSilo(string route, string address)
    {
        var response = await factory.AuthorizedSocketClient().GetAsync($"/dashboard/{route}/{address}");
        var body = await HttpAssertions.AssertErrorAsync(response, 404, null, "application/problem+json");
        Assert.Equal("UnknownSilo", body.GetProperty("title").GetString());
    }

    [SkippableFact]
    public async Task TheSiloRoutesAnswerForTheActiveSilo()
    {
        var client = factory.AuthorizedSocketClient();
        // The dashboard lists the silos once its first collection has run, shortly after start.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        JsonElement hosts;
        do
        {
            hosts = JsonDocument.Parse(await client.GetStringAsync("/dashboard/DashboardCounters")).RootElement.GetProperty("hosts");
            if (hosts.GetArrayLength() > 0) break;
            await Task.Delay(250);
        }
        while (DateTime.UtcNow < deadline);
        Assert.True(hosts.GetArrayLength() > 0, "the dashboard lists no silo");
        var silo = hosts[0].GetProperty("siloAddress").GetString();
        foreach (var route in new[] { "HistoricalStats", "SiloProperties", "SiloStats", "SiloCounters" })
        {
            var response = await client.GetAsync($"/dashboard/{route}/{silo}");
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{route}: {response.StatusCode}");
        }
    }
}
