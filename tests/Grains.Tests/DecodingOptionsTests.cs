using InnerEye.Grains.Hosting;

namespace InnerEye.Grains.Tests;

/// <summary>The Decoding section becomes the loader's limits, and a wrong value stops the start naming its setting.</summary>
public sealed class DecodingOptionsTests
{
    [SkippableFact]
    public void TheSettingsBecomeTheLoadersLimits()
    {
        var load = new DecodingOptions { Threads = 3, MaxEntryBytes = 1 << 20, MaxInflatedBytes = 1 << 30, MaxEntries = 500 }.ToLoadOptions();
        Assert.Equal(3, load.MaxDegreeOfParallelism);
        Assert.Equal(1 << 20, load.MaxEntryBytes);
        Assert.Equal(1 << 30, load.MaxTotalBytes);
        Assert.Equal(500, load.Zip.MaxEntries);
        Assert.Equal(30, new DecodingOptions().ToLoadOptions().MaxTiltDegrees);
        Assert.Equal(12.5, new DecodingOptions { MaxTiltDegrees = 12.5 }.ToLoadOptions().MaxTiltDegrees);
        Assert.Equal(Environment.ProcessorCount, new DecodingOptions().ToLoadOptions().MaxDegreeOfParallelism);
    }

    [SkippableTheory]
    [InlineData(-1, 1L << 20, 1L << 30, 10, "Decoding:Threads")]
    [InlineData(0, 10L, 1L << 30, 10, "Decoding:MaxEntryBytes")]
    [InlineData(0, 1L << 40, 1L << 41, 10, "Decoding:MaxEntryBytes")]
    [InlineData(0, 1L << 20, 1L << 10, 10, "Decoding:MaxInflatedBytes")]
    [InlineData(0, 1L << 20, 1L << 30, 0, "Decoding:MaxEntries")]
    public void AWrongValueIsRefusedNamingItsSetting(int threads, long entry, long inflated, int entries, string setting)
    {
        var options = new DecodingOptions { Threads = threads, MaxEntryBytes = entry, MaxInflatedBytes = inflated, MaxEntries = entries };
        var result = new DecodingOptionsValidator().Validate(null, options);
        Assert.True(result.Failed);
        Assert.Contains(setting, result.FailureMessage);
    }

    [SkippableTheory]
    [InlineData(-1)]
    [InlineData(90)]
    [InlineData(double.NaN)]
    public void ATiltLimitOutsideZeroToNinetyDegreesIsRefused(double tilt)
    {
        var result = new DecodingOptionsValidator().Validate(null, new DecodingOptions { MaxTiltDegrees = tilt });
        Assert.True(result.Failed);
        Assert.Contains("Decoding:MaxTiltDegrees", result.FailureMessage);
    }
}
