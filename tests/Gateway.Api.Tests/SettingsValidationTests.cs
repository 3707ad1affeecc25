using System.Diagnostics;
using System.Globalization;
using InnerEye.Gateway.Api.Tests.Support;
using InnerEye.Imaging.Tests.Support;
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
    [InlineData("Models:Path", "/nonexistent/models", "expected an existing folder")]
    [InlineData("Cluster:Mode", "Redis", "Cluster:Redis")]
    [InlineData("Cluster:AdvertisedIP", "not-an-address", "expected an IP address")]
    [InlineData("Cluster:Membership:NumMissedProbesLimit", "0", "expected 1 or more")]
    [InlineData("Api:RetryAfterSeconds", "-1", "must not be negative")]
    [InlineData("DicomWeb:SeriesQuietPeriod", "00:00:00", "must be a positive time span")]
    public void ABadSettingStopsTheStartNamingItAndItsRange(string setting, string value, string range)
    {
        var message = StartFails((setting, value)).ToString();
        Assert.Contains(setting, message, StringComparison.Ordinal);
        Assert.Contains(range, message, StringComparison.Ordinal);
    }

    [SkippableTheory]
    [InlineData("Silo:Role", "tpu")]
    [InlineData("Segmentation:RetryDelay", "two seconds")]
    [InlineData("Placement:AllowCpuFallback", "maybe")]
    [InlineData("Inference:Device", "Gpu")]
    [InlineData("Cluster:SiloPort", "eleven")]
    public void AValueOfTheWrongKindStopsTheStartNamingIt(string setting, string value) =>
        Assert.Contains(setting, StartFails((setting, value)).ToString(), StringComparison.Ordinal);

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
        using var live = await client.GetAsync(new Uri("/health/live", UriKind.Relative));
        Assert.Equal(System.Net.HttpStatusCode.OK, live.StatusCode);
    }

    [SkippableTheory]
    [InlineData("ModelGrain__Capacity", "0", "ModelGrain:Capacity is 0; expected 1 or more")]
    [InlineData("Silo__Role", "tpu", "Silo:Role")]
    [InlineData("Cluster__Mode", "Redis", "Cluster:Redis (e.g. redis:6379) is not set")]
    public void TheSiloProcessStopsOnABadSettingNamingIt(string variable, string value, string expected)
    {
        using var data = new TempDirectory();
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(ServerProcess.SiloProgramPath);
        info.ArgumentList.Add("--urls");
        info.ArgumentList.Add($"http://127.0.0.1:{FreePorts.Next()}");
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        info.Environment["Models__Path"] = Phantoms.RepositoryModels;
        info.Environment["Inference__Device"] = "Cpu";
        info.Environment["Storage__Path"] = data.Path;
        info.Environment["Cluster__SiloPort"] = FreePorts.Next().ToString(CultureInfo.InvariantCulture);
        info.Environment["Cluster__GatewayPort"] = FreePorts.Next().ToString(CultureInfo.InvariantCulture);
        info.Environment[variable] = value;
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(60)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"The silo did not stop on {variable}={value}: {stdout.Result}{stderr.Result}");
        }
        Assert.NotEqual(0, process.ExitCode);
        Assert.Contains(expected, stdout.Result + stderr.Result, StringComparison.Ordinal);
    }

    private static Exception StartFails(params (string Setting, string Value)[] settings)
    {
        using var factory = new GatewayFactory(settings.ToDictionary(s => s.Setting, s => (string?)s.Value));
        return Assert.ThrowsAny<Exception>(() => factory.CreateClient());
    }

    private static Exception Unwrap(Exception e) => e is AggregateException { InnerExceptions.Count: 1 } a ? Unwrap(a.InnerExceptions[0]) : e;
}
