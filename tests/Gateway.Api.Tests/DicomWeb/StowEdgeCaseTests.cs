using System.Net;
using System.Net.Http.Headers;
using System.Text;
using InnerEye.Gateway.Api.Tests.Support;
using InnerEye.Imaging.Dicom;

namespace InnerEye.Gateway.Api.Tests.DicomWeb;

/// <summary>What a STOW-RS sender sees for each kind of request, good and bad, on a real socket.</summary>
[Trait("Category", "DicomWeb")]
public sealed class StowEdgeCaseTests(StowFactory factory) : IClassFixture<StowFactory>
{
    private static readonly IReadOnlyList<byte[]> Series = StowSeries.Slices(seed: 41, size: 32, slices: 3);

    [SkippableFact]
    public async Task AllPartsStoredIs200WithEachInstanceAndItsRetrieveUrl_BoundaryQuotedOrNot_PartTypeOrNot()
    {
        var client = factory.AuthorizedSocketClient();
        var slices = StowSeries.Slices(seed: 42, size: 32, slices: 3);
        var first = await client.PostAsync("/dicomweb/studies", factory.Stow(slices.Take(2), quotedBoundary: true));
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var answer = await StowAnswer.ReadAsync(first);
        Assert.Empty(answer.Failed);
        Assert.Equal(slices.Take(2).Select(s => StowSeries.Uid(s, DicomTags.SOPInstanceUID)), answer.Referenced.Select(r => r.SopInstanceUid));
        var study = StowSeries.Uid(slices[0], DicomTags.StudyInstanceUID);
        Assert.All(answer.Referenced, r => Assert.StartsWith($"{client.BaseAddress}dicomweb/studies/{study}/series/", r.RetrieveUrl));

        var second = await client.PostAsync($"/dicomweb/studies/{study}", factory.Stow(slices.Skip(2), partType: null));
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Single((await StowAnswer.ReadAsync(second)).Referenced);
    }

    [SkippableFact]
    public async Task ADuplicateInstanceIsAcknowledgedButStoredOnce()
    {
        var client = factory.AuthorizedSocketClient();
        var slices = StowSeries.Slices(seed: 43, size: 32, slices: 2);
        for (var i = 0; i < 2; i++)
        {
            var response = await client.PostAsync("/dicomweb/studies", factory.Stow(slices));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(2, (await StowAnswer.ReadAsync(response)).Referenced.Count);
        }
        var folder = Path.Combine(factory.DataPath, "artifacts", "dicomweb", "series",
            InnerEye.Grains.DicomWeb.IntakeKeys.Hash(StowSeries.Uid(slices[0], DicomTags.SeriesInstanceUID)));
        Assert.Equal(2, Directory.GetFiles(folder).Length);
        Assert.Empty(Directory.GetFiles(Path.Combine(factory.DataPath, "artifacts", "dicomweb", "incoming")));
    }

    [SkippableFact]
    public async Task OneBadPartAmongGoodOnesIs202WithBothSequences_APartThatIsNotDicomFailsWithC000()
    {
        var client = factory.AuthorizedSocketClient();
        var parts = new[] { Series[0], Encoding.ASCII.GetBytes("this is not a DICOM file"), Series[1] };
        var response = await client.PostAsync("/dicomweb/studies", factory.Stow(parts));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var answer = await StowAnswer.ReadAsync(response);
        Assert.Equal(2, answer.Referenced.Count);
        Assert.Equal(0xC000, Assert.Single(answer.Failed).Reason);
    }

    [SkippableFact]
    public async Task NothingStoredIs409_AStudyOtherThanTheUrlsFailsWithA900()
    {
        var client = factory.AuthorizedSocketClient();
        var response = await client.PostAsync("/dicomweb/studies/1.2.826.0.1.3680043.2.1143.999", factory.Stow(Series.Take(1)));
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var failed = Assert.Single((await StowAnswer.ReadAsync(response)).Failed);
        Assert.Equal(0xA900, failed.Reason);
        Assert.Equal(StowSeries.Uid(Series[0], DicomTags.SOPInstanceUID), failed.SopInstanceUid);

        var notDicom = await client.PostAsync("/dicomweb/studies", factory.Stow([new byte[300]]));
        Assert.Equal(HttpStatusCode.Conflict, notDicom.StatusCode);
        Assert.Equal(0xC000, Assert.Single((await StowAnswer.ReadAsync(notDicom)).Failed).Reason);

        var otherPartType = await client.PostAsync("/dicomweb/studies", factory.Stow(Series.Take(1), partType: "application/pdf"));
        Assert.Equal(HttpStatusCode.Conflict, otherPartType.StatusCode);
    }

    [SkippableTheory]
    [InlineData("application/zip")]
    [InlineData("multipart/related; type=\"application/dicom+xml\"; boundary=b")]
    [InlineData("multipart/form-data; boundary=b")]
    public async Task AnotherMediaTypeIs415(string contentType)
    {
        var content = new ByteArrayContent(StowSeries.Body(Series.Take(1), "b"));
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        var response = await factory.AuthorizedSocketClient().PostAsync("/dicomweb/studies", content);
        await HttpAssertions.AssertErrorAsync(response, 415, null, "application/problem+json");
    }

    [SkippableFact]
    public async Task AMalformedMultipartBodyIs400AndStoresNothing()
    {
        var client = factory.AuthorizedSocketClient();
        var good = StowSeries.Body(StowSeries.Slices(seed: 44, size: 32, slices: 1), StowFactory.Boundary);
        // The body ends in the middle of its second part, with no closing boundary.
        var truncated = good.Take(good.Length - 8).Concat(Encoding.ASCII.GetBytes(
            $"--{StowFactory.Boundary}\r\nContent-Type: application/dicom\r\n\r\nDICM")).ToArray();
        foreach (var body in new[] { truncated, Encoding.ASCII.GetBytes("no boundary anywhere in this body") })
        {
            var content = new ByteArrayContent(body);
            content.Headers.TryAddWithoutValidation("Content-Type", StowSeries.ContentType(StowFactory.Boundary));
            await HttpAssertions.AssertErrorAsync(await client.PostAsync("/dicomweb/studies", content), 400, null, "application/problem+json");
        }
        var noBoundary = new ByteArrayContent(good);
        noBoundary.Headers.TryAddWithoutValidation("Content-Type", "multipart/related; type=\"application/dicom\"");
        await HttpAssertions.AssertErrorAsync(await client.PostAsync("/dicomweb/studies", noBoundary), 400, null, "application/problem+json");
        var series = Path.Combine(factory.DataPath, "artifacts", "dicomweb", "series", InnerEye.Grains.DicomWeb.IntakeKeys.Hash(
            StowSeries.Uid(StowSeries.Slices(seed: 44, size: 32, slices: 1)[0], DicomTags.SeriesInstanceUID)));
        Assert.False(Directory.Exists(series), "a malformed request stored an instance");
    }

    [SkippableFact]
    public async Task OverTheUploadLimitIs413()
    {
        var big = StowSeries.Slices(seed: 45, size: 512, slices: 5); // 5 × 0.5 MB > 2 MB
        var response = await factory.AuthorizedSocketClient().PostAsync("/dicomweb/studies", factory.Stow(big));
        await HttpAssertions.AssertErrorAsync(response, 413, null, "application/problem+json");
    }

    [SkippableFact]
    public async Task TheSecretIsNeeded_401WithABasicChallengeWithout_403Wrong_BasicWithTheSecretAsPasswordWorks()
    {
        using var anonymous = new HttpClient { BaseAddress = factory.Address };
        var none = await anonymous.PostAsync("/dicomweb/studies", factory.Stow(Series.Take(1)));
        Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
        Assert.Contains(none.Headers.WwwAuthenticate, h => h.Scheme == "Basic");

        using var wrong = new HttpRequestMessage(HttpMethod.Post, "/dicomweb/studies") { Content = factory.Stow(Series.Take(1)) };
        wrong.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("orthanc:wrong")));
        Assert.Equal(HttpStatusCode.Forbidden, (await anonymous.SendAsync(wrong)).StatusCode);

        using var basic = new HttpRequestMessage(HttpMethod.Post, "/dicomweb/studies") { Content = factory.Stow(Series.Take(1)) };
        basic.Headers.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"orthanc:{GatewayFactory.Secret}")));
        Assert.Equal(HttpStatusCode.OK, (await anonymous.SendAsync(basic)).StatusCode);
    }

    [SkippableFact]
    public async Task ResultsOfAStudyWithNoneAre204AndWadoOfAnUnknownSeriesIs404()
    {
        var client = factory.AuthorizedSocketClient();
        Assert.Equal(HttpStatusCode.NoContent, (await client.GetAsync("/dicomweb/studies/1.2.3.4/series")).StatusCode);
        await HttpAssertions.AssertErrorAsync(await client.GetAsync("/dicomweb/studies/1.2.3.4/series/5.6.7"), 404, null, "application/problem+json");
    }
}
