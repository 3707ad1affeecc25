using System.Net;
using System.Text.Json;
using InnerEye.Gateway.Api.Tests.Support;

namespace InnerEye.Gateway.Api.Tests.Audit;

/// <summary><c>GET /api/v1/segmentations</c> on the embedded service: newest first, filters, cursor paging, 400s naming the parameter.</summary>
public sealed class JobListTests(AuditFactory factory) : IClassFixture<AuditFactory>
{
    private const string Model = "PassThroughModel";

    public static async Task<JsonElement> ListAsync(HttpClient client, string query)
    {
        var response = await client.GetAsync($"/api/v1/segmentations{query}");
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{query}: {response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement;
    }

    /// <summary>Every id of every page, following the cursor.</summary>
    public static async Task<List<string>> AllPagesAsync(HttpClient client, string query, int limit)
    {
        var ids = new List<string>();
        string? cursor = null;
        for (var pages = 0; pages < 100; pages++)
        {
            var page = await ListAsync(client, $"{query}&limit={limit}{(cursor is null ? "" : $"&cursor={Uri.EscapeDataString(cursor)}")}");
            var items = page.GetProperty("items").EnumerateArray().ToList();
            Assert.True(items.Count <= limit);
            ids.AddRange(items.Select(i => i.GetProperty("segmentationId").GetString()!));
            if (page.GetProperty("next").ValueKind == JsonValueKind.Null) return ids;
            Assert.Equal(limit, items.Count);
            cursor = page.GetProperty("next").GetString();
        }
        throw new InvalidOperationException("The pages never ended.");
    }

    /// <summary>
    /// The ids listed once they are <paramref name="expected"/>: the index hears of a change of state just after the job
    /// has made it, so a listing by state may lag a status read by a moment.
    /// </summary>
    public static async Task<List<string>> WaitListedAsync(HttpClient client, string query, IEnumerable<string> expected)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        var want = expected.ToList();
        List<string> ids;
        while (!(ids = await AllPagesAsync(client, query, 10)).SequenceEqual(want) && DateTime.UtcNow < deadline) await Task.Delay(100);
        return ids;
    }

    private static async Task<string> SubmitAsync(HttpClient client, string model)
    {
        var response = await client.PostAsync($"/api/v1/models/{model}/segmentation", new ByteArrayContent(Phantoms.Zip()));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, text);
        return JsonDocument.Parse(text).RootElement.GetProperty("segmentationId").GetString()!;
    }

    [SkippableFact]
    public async Task JobsListNewestFirstByModelStateAndTime_PagedWithACursor()
    {
        var alice = factory.As(AuditFactory.AliceKey);
        var bob = factory.As(AuditFactory.BobKey);
        var since = DateTimeOffset.UtcNow.AddSeconds(-1).ToString("o");
        var ids = new List<string>();
        for (var i = 0; i < 5; i++) ids.Add(await SubmitAsync(i % 2 == 0 ? alice : bob, i == 4 ? $"{Model}:1729" : Model));
        await bob.DeleteAsync($"/api/v1/models/{Model}/segmentation/{ids[1]}");
        foreach (var id in ids.Where(i => i != ids[1])) await HttpAssertions.WaitForStatusAsync(alice, Model, id, "completed");
        var q = $"?since={Uri.EscapeDataString(since)}";

        var newestFirst = Enumerable.Reverse(ids).ToList();
        Assert.Equal(newestFirst, await AllPagesAsync(alice, q, 2));
        Assert.Equal(newestFirst, await AllPagesAsync(alice, q, 500));

        var first = (await ListAsync(alice, $"{q}&limit=5")).GetProperty("items").EnumerateArray().ToList();
        var newest = first[0];
        Assert.Equal(ids[4], newest.GetProperty("segmentationId").GetString());
        Assert.Equal($"{Model}:1729", newest.GetProperty("modelId").GetString());
        Assert.Equal("completed", newest.GetProperty("state").GetString());
        Assert.Equal(100, newest.GetProperty("progress").GetInt32());
        Assert.Equal("alice", newest.GetProperty("client").GetString());
        Assert.Equal(JsonValueKind.Null, newest.GetProperty("errorCode").ValueKind);
        Assert.True(newest.GetProperty("updatedAt").GetDateTimeOffset() >= newest.GetProperty("createdAt").GetDateTimeOffset());
        var created = first.Select(i => i.GetProperty("createdAt").GetDateTimeOffset()).ToList();
        Assert.Equal(created.OrderDescending(), created);
        Assert.Equal("bob", first.Single(i => i.GetProperty("segmentationId").GetString() == ids[1]).GetProperty("client").GetString());

        Assert.Equal([ids[1]], await WaitListedAsync(alice, $"{q}&state=cancelled", [ids[1]]));
        Assert.Equal(newestFirst.Where(i => i != ids[1]), await WaitListedAsync(alice, $"{q}&state=completed", newestFirst.Where(i => i != ids[1])));
        Assert.Empty(await AllPagesAsync(alice, $"{q}&state=running", 10));
        Assert.Equal(newestFirst, await AllPagesAsync(alice, $"{q}&model={Model}", 10));
        Assert.Equal([ids[4]], await AllPagesAsync(alice, $"{q}&model={Model}:1729", 10));
        Assert.Empty(await AllPagesAsync(alice, $"{q}&model=ThoraxCT", 10));
        Assert.Empty(await AllPagesAsync(alice, $"?since={Uri.EscapeDataString(DateTimeOffset.UtcNow.AddMinutes(1).ToString("o"))}", 10));
        Assert.Equal(newestFirst.Take(2), (await ListAsync(alice, $"{q}&limit=2")).GetProperty("items").EnumerateArray()
            .Select(i => i.GetProperty("segmentationId").GetString()));
    }

    [SkippableTheory]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=501", "limit")]
    [InlineData("limit=ten", "limit")]
    [InlineData("limit=-1", "limit")]
    [InlineData("state=done", "state")]
    [InlineData("state=1", "state")]
    [InlineData("since=yesterday", "since")]
    [InlineData("since=12/01/2026", "since")]
    [InlineData("cursor=not-a-cursor", "cursor")]
    [InlineData("cursor=", "cursor")]
    [InlineData("model=a/b", "model")]
    public async Task ABadParameterIs400NamingIt(string query, string parameter)
    {
        var response = await factory.Authorized().GetAsync($"/api/v1/segmentations?{query}");
        var body = await HttpAssertions.AssertErrorAsync(response, 400, parameter, "application/problem+json");
        Assert.Equal("InvalidQueryParameter", body.GetProperty("title").GetString());
        Assert.StartsWith(parameter, body.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }
}
