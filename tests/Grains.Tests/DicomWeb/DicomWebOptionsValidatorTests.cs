using InnerEye.Grains.DicomWeb;
using InnerEye.Grains.Tests.Support;
using InnerEye.Inference;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace InnerEye.Grains.Tests.DicomWeb;

public sealed class DicomWebOptionsValidatorTests
{
    private static readonly ModelCatalog Catalog = MakeCatalog();

    /// <summary>PassThroughModel (one channel, "ct") and a model of two channels ("ct", "mr") built from it.</summary>
    private static ModelCatalog MakeCatalog()
    {
        var pass = ModelConfigLoader.Read(Path.Combine(GrainCluster.RepositoryModels, "PassThroughModel.json"));
        var two = pass with { Id = "TwoChannel", InputChannels = [new InputChannelConfig("ct", "CT"), new InputChannelConfig("mr", "MR")] };
        return new ModelCatalog([pass, two]);
    }

    private static readonly Dictionary<string, string?> Valid = new()
    {
        ["DicomWeb:SeriesQuietPeriod"] = "00:00:02",
        ["DicomWeb:Routes:0:Name"] = "thorax",
        ["DicomWeb:Routes:0:Match:Modality"] = "CT",
        ["DicomWeb:Routes:0:Match:SeriesDescription"] = "thorax|chest",
        ["DicomWeb:Routes:0:Match:MinSliceThickness"] = "1",
        ["DicomWeb:Routes:0:Match:MaxSliceThickness"] = "3.5",
        ["DicomWeb:Routes:0:Model"] = "PassThroughModel:1729",
        ["DicomWeb:Routes:0:Destinations:0"] = "pacs",
        ["DicomWeb:Routes:1:Model"] = "TwoChannel",
        ["DicomWeb:Routes:1:Channels:ct:Modality"] = "CT",
        ["DicomWeb:Routes:1:Channels:mr:Modality"] = "MR",
        ["DicomWeb:Destinations:pacs:Url"] = "https://pacs.example/dicom-web/",
        ["DicomWeb:Destinations:pacs:Headers:X-Foo"] = "bar",
        ["DicomWeb:Destinations:pacs:Username"] = "innereye",
        ["DicomWeb:Destinations:pacs:Password"] = "secret",
        ["DicomWeb:Delivery:FirstRetryDelay"] = "00:00:00.5",
    };

    private static DicomWebOptions Resolve(Dictionary<string, string?> settings)
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddSingleton(Catalog);
        services.AddSingleton<IConfiguration>(config);
        services.AddDicomWebIntake();
        using var provider = services.BuildServiceProvider();
        return provider.GetRequiredService<IOptions<DicomWebOptions>>().Value;
    }

    private static Dictionary<string, string?> With(params (string Key, string? Value)[] changes)
    {
        var settings = new Dictionary<string, string?>(Valid);
        foreach (var (key, value) in changes)
        {
            if (value is null) settings.Remove(key);
            else settings[key] = value;
        }
        return settings;
    }

    private static string Failure(params (string Key, string? Value)[] changes) =>
        Assert.Throws<OptionsValidationException>(() => Resolve(With(changes))).Message;

    [Fact]
    public void BindsEverySettingAsDocumented()
    {
        var options = Resolve(Valid);
        Assert.Equal(TimeSpan.FromSeconds(2), options.SeriesQuietPeriod);
        Assert.Equal(TimeSpan.FromMilliseconds(500), options.Delivery.FirstRetryDelay);
        Assert.Equal(2, options.Routes.Count);
        var thorax = options.Routes[0];
        Assert.Equal("thorax", thorax.Name);
        Assert.Equal("CT", thorax.Match.Modality);
        Assert.Equal("thorax|chest", thorax.Match.SeriesDescription);
        Assert.Equal(1.0, thorax.Match.MinSliceThickness);
        Assert.Equal(3.5, thorax.Match.MaxSliceThickness);
        Assert.Equal("PassThroughModel:1729", thorax.Model);
        Assert.Equal(["pacs"], thorax.Destinations);
        Assert.Equal(["ct", "mr"], options.Routes[1].Channels.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("MR", options.Routes[1].Channels["mr"].Modality);
        var pacs = options.Destinations["pacs"];
        Assert.Equal("https://pacs.example/dicom-web/", pacs.Url);
        Assert.Equal("bar", pacs.Headers["X-Foo"]);
        Assert.Equal("innereye", pacs.Username);
        Assert.Equal("secret", pacs.Password);
    }

    [Fact]
    public void DestinationsAreNamedIgnoringCase()
    {
        var options = Resolve(With(("DicomWeb:Routes:0:Destinations:0", "PACS")));
        Assert.True(options.Destinations.ContainsKey("PACS"));
        Assert.Equal("bar", options.Destinations["pacs"].Headers["x-foo"]);
    }

    [Fact]
    public void NoSectionAtAllIsValid()
    {
        var options = Resolve([]);
        Assert.Empty(options.Routes);
        Assert.Empty(options.Destinations);
    }

    [Fact]
    public void AnUnknownModelIsNamed() =>
        Assert.Contains("DicomWeb:Routes:0:Model", Failure(("DicomWeb:Routes:0:Model", "NoSuchModel")));

    [Fact]
    public void AnotherVersionOfAModelIsRefused() =>
        Assert.Contains("DicomWeb:Routes:0:Model", Failure(("DicomWeb:Routes:0:Model", "PassThroughModel:1")));

    [Fact]
    public void AMissingModelIsRefused() =>
        Assert.Contains("DicomWeb:Routes:0:Model is required", Failure(("DicomWeb:Routes:0:Model", null)));

    [Fact]
    public void AnUnknownDestinationIsNamed()
    {
        var message = Failure(("DicomWeb:Routes:0:Destinations:1", "archive"));
        Assert.Contains("DicomWeb:Routes:0:Destinations", message);
        Assert.Contains("'archive'", message);
    }

    [Fact]
    public void AUrlWithoutATrailingSlashIsRefused() =>
        Assert.Contains("DicomWeb:Destinations:pacs:Url", Failure(("DicomWeb:Destinations:pacs:Url", "https://pacs.example/dicom-web")));

    [Theory]
    [InlineData("pacs.example/dicom-web/")]
    [InlineData("ftp://pacs.example/")]
    public void AUrlThatIsNotHttpIsRefused(string url) =>
        Assert.Contains("DicomWeb:Destinations:pacs:Url must be an absolute http or https URL", Failure(("DicomWeb:Destinations:pacs:Url", url)));

    [Fact]
    public void ABadRegexIsNamed() =>
        Assert.Contains("DicomWeb:Routes:0:Match:SeriesDescription is not a valid regular expression",
            Failure(("DicomWeb:Routes:0:Match:SeriesDescription", "thorax(")));

    [Fact]
    public void ABadRegexOfAChannelIsNamed() =>
        Assert.Contains("DicomWeb:Routes:1:Channels:mr:ProtocolName", Failure(("DicomWeb:Routes:1:Channels:mr:ProtocolName", "[t1")));

    [Fact]
    public void AMinimumAboveTheMaximumIsRefused() =>
        Assert.Contains("DicomWeb:Routes:0:Match:MinSliceThickness", Failure(("DicomWeb:Routes:0:Match:MinSliceThickness", "5")));

    [Fact]
    public void ANegativeThicknessIsRefused() =>
        Assert.Contains("DicomWeb:Routes:0:Match", Failure(("DicomWeb:Routes:0:Match:MinSliceThickness", "-1")));

    [Fact]
    public void ATwoChannelModelWithoutChannelsIsRefused()
    {
        var message = Failure(("DicomWeb:Routes:1:Channels:ct:Modality", null), ("DicomWeb:Routes:1:Channels:mr:Modality", null),
            ("DicomWeb:Routes:1:Match:Modality", "CT"));
        Assert.Contains("DicomWeb:Routes:1:", message);
        Assert.Contains("DicomWeb:Routes:1:Channels:<channel>", message);
    }

    [Fact]
    public void WrongChannelNamesAreRefused()
    {
        var message = Failure(("DicomWeb:Routes:1:Channels:mr:Modality", null), ("DicomWeb:Routes:1:Channels:t1:Modality", "MR"));
        Assert.Contains("DicomWeb:Routes:1:Channels names", message);
        Assert.Contains("t1", message);
    }

    [Fact]
    public void AMissingChannelIsRefused() =>
        Assert.Contains("DicomWeb:Routes:1:Channels names ct", Failure(("DicomWeb:Routes:1:Channels:mr:Modality", null)));

    [Theory]
    [InlineData("DicomWeb:SeriesQuietPeriod", "00:00:00")]
    [InlineData("DicomWeb:SeriesQuietPeriod", "-00:00:01")]
    [InlineData("DicomWeb:UnroutedRetention", "00:00:00")]
    [InlineData("DicomWeb:RoutedRetention", "-01:00:00")]
    [InlineData("DicomWeb:Delivery:FirstRetryDelay", "00:00:00")]
    [InlineData("DicomWeb:Delivery:RequestTimeout", "00:00:00")]
    [InlineData("DicomWeb:Delivery:GiveUpAfter", "00:00:00")]
    public void ANonPositivePeriodIsNamed(string key, string value) =>
        Assert.Contains($"{key} must be a positive time span", Failure((key, value)));

    [Fact]
    public void ARoutedRetentionShorterThanTheUnroutedOneIsRefused() =>
        Assert.Contains("DicomWeb:RoutedRetention (00:10:00) must be at least UnroutedRetention (01:00:00)",
            Failure(("DicomWeb:RoutedRetention", "00:10:00")));

    [Fact]
    public void AMaximumRetryDelayBelowTheFirstIsRefused() =>
        Assert.Contains("DicomWeb:Delivery:MaxRetryDelay", Failure(("DicomWeb:Delivery:MaxRetryDelay", "00:00:00.1")));

    [Fact]
    public void EveryProblemIsReportedAtOnce()
    {
        var e = Assert.Throws<OptionsValidationException>(() => Resolve(With(("DicomWeb:SeriesQuietPeriod", "00:00:00"),
            ("DicomWeb:Routes:0:Model", "NoSuchModel"), ("DicomWeb:Destinations:pacs:Url", "https://pacs.example"))));
        Assert.Equal(3, e.Failures.Count());
    }
}
