using InnerEye.Gateway.Api.Tests.Support;
using Microsoft.Extensions.Options;

namespace InnerEye.Gateway.Api.Tests;

/// <summary>
/// Each section of settings is bound onto its options class and validated when the real host starts: a bad value stops
/// the start with a message that names the setting and what it may be, instead of being clamped or ignored.
/// </summary>
public sealed class SettingsValidationTests
{
    [SkippableTheory]
    [InlineData("Segmentation:Replicas", "0", "expected 1 to")]
    [InlineData("Segmentation:RetentionPeriod", "00:00:00", "expected more than")]
    [InlineData("Segmentation:RedriveInterval", "00:00:10", "the reminders' minimum period")]
    [InlineData("Segmentation:MaxTransientRetries", "-1", "expected 0 or more")]
    [InlineData("ModelGrain:Capacity", "0", "expected 1 or more")]
    [InlineData("ModelGrain:DecodeAhead", "0", "expected 1 or more")]
    [InlineData("ModelGrain:MaxQueue", "-1", "expected 0")]
    [InlineData("ModelGrain:ResultFormats", "seg, png", "the formats are")]
    [InlineData("Decoding:Threads", "-1", "expected 0")]
    [InlineData("Decoding:MaxTiltDegrees", "90", "to less than 90")]
    [InlineData("Storage:FileMode", "666", "'other' bits")]
    [InlineData("Storage:SweepInterval", "00:00:00", "must be positive")]
    [InlineData("Inference:IntraOpThreads", "-2", "expected 0")]
    [InlineData("Inference:CudaMemoryLimitBytes", "0", "expected 1 or more")]
    [InlineData("Silo:Role", "tpu", "Silo:Role")]
    [InlineData("Models:Path", "/nonexistent/models", "expected an existing folder")]
    [InlineData("Cluster:Mode", "Redis", "Cluster:Redis")]
    [InlineData("Cluster:AdvertisedIP", "not-an-address", "expected an IP address")]
    [InlineData("Cluster:Membership:NumMissedProbesLimit", "0", "expected 1 or more")]
    [InlineData("Api:RetryAfterSeconds", "-1", "must not be negative")]
    [InlineData("DicomWeb:SeriesQuietPeriod", "00:00:00", "DicomWeb:SeriesQuietPeriod")]
    public void ABadSettingStopsTheStartNamingItAndItsRange(string setting, string value, string range)
    {
        var e = StartFails(setting, value);
        var message = Messages(e);
        Assert.Contains(setting, message, StringComparison.Ordinal);
        Assert.Contains(range, message, StringComparison.Ordinal);
    }

    [SkippableTheory]
    [InlineData("Segmentation:RetryDelay", "two seconds")]
    [InlineData("Placement:AllowCpuFallback", "maybe")]
    [InlineData("Inference:Device", "Gpu")]
    [InlineData("Cluster:SiloPort", "eleven")]
    public void AValueOfTheWrongKindStopsTheStartNamingIt(string setting, string value)
    {
        var e = StartFails(setting, value);
        Assert.Contains(setting, Messages(e), StringComparison.Ordinal);
    }

    [SkippableFact]
    public void EveryProblemOfASectionIsReportedAtOnce()
    {
        var e = StartFails(("ModelGrain:Capacity", "0"), ("ModelGrain:DecodeAhead", "0"));
        var validation = Assert.IsType<OptionsValidationException>(Unwrap(e));
        Assert.Contains(validation.Failures, f => f.Contains("ModelGrain:Capacity", StringComparison.Ordinal));
        Assert.Contains(validation.Failures, f => f.Contains("ModelGrain:DecodeAhead", StringComparison.Ordinal));
    }

    [SkippableFact]
    public async Task TheDefaultsStart()
    {
        await using var factory = new GatewayFactory();
        using var client = factory.CreateClient();
        using var live = await client.GetAsync("/health/live");
        Assert.Equal(System.Net.HttpStatusCode.OK, live.StatusCode);
    }

    private static Exception StartFails(string setting, string value) => StartFails((setting, value));

    private static Exception StartFails(params (string Setting, string Value)[] settings)
    {
        using var factory = new GatewayFactory(settings.ToDictionary(s => s.Setting, s => (string?)s.Value));
        return Assert.ThrowsAny<Exception>(() => factory.CreateClient());
    }

    private static Exception Unwrap(Exception e) => e is AggregateException { InnerExceptions.Count: 1 } a ? Unwrap(a.InnerExceptions[0]) : e;

    private static string Messages(Exception e) => e.ToString();
}
