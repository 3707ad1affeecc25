using InnerEye.Grains.DicomWeb;

namespace InnerEye.Grains.Tests.DicomWeb;

public sealed class DicomWebRouterTests
{
    private static SeriesAttributes Series(string? modality = "CT", string? manufacturer = "Siemens", string? seriesDescription = "Thorax 2mm",
        string? studyDescription = "CT CHEST", double? thickness = 2.0, string? bodyPart = "CHEST", string? protocol = "Lung") =>
        new("1.2.3", "1.2.3.4", modality, manufacturer, bodyPart, seriesDescription, studyDescription, protocol, thickness);

    private static DicomWebRoute Rule(SeriesMatch match, string? name = null) => new() { Name = name, Match = match, Model = "PassThroughModel" };

    private static RouteMatch? Route(SeriesAttributes series, params DicomWebRoute[] routes) => new DicomWebRouter(routes).Route(series);

    [Theory]
    [InlineData("CT", true)]
    [InlineData("ct", true)]
    [InlineData(" Ct ", true)]
    [InlineData("MR", false)]
    [InlineData("C", false)]
    public void ModalityIsComparedExactlyIgnoringCase(string modality, bool matches) =>
        Assert.Equal(matches, Route(Series(), Rule(new SeriesMatch { Modality = modality })) is not null);

    [Theory]
    [InlineData("SIEMENS", true)]
    [InlineData("Siemens", true)]
    [InlineData("Siem", false)]
    public void ManufacturerIsComparedExactlyIgnoringCase(string manufacturer, bool matches) =>
        Assert.Equal(matches, Route(Series(), Rule(new SeriesMatch { Manufacturer = manufacturer })) is not null);

    [Fact]
    public void AnExactConditionFailsOnASeriesWithoutTheAttribute() =>
        Assert.Null(Route(Series(modality: null), Rule(new SeriesMatch { Modality = "CT" })));

    [Theory]
    [InlineData("thorax", true)]
    [InlineData("^Thorax", true)]
    [InlineData("2MM$", true)]
    [InlineData("^2mm", false)]
    [InlineData("abdomen|thor", true)]
    [InlineData("pelvis", false)]
    public void SeriesDescriptionIsARegexSearchedIgnoringCase(string pattern, bool matches) =>
        Assert.Equal(matches, Route(Series(), Rule(new SeriesMatch { SeriesDescription = pattern })) is not null);

    [Fact]
    public void TheOtherTextConditionsAreRegexesToo()
    {
        Assert.NotNull(Route(Series(), Rule(new SeriesMatch { StudyDescription = "chest", BodyPartExamined = "^ch", ProtocolName = "LUNG" })));
        Assert.Null(Route(Series(), Rule(new SeriesMatch { StudyDescription = "head" })));
        Assert.Null(Route(Series(protocol: null), Rule(new SeriesMatch { ProtocolName = "lung" })));
    }

    [Theory]
    [InlineData(2.0, 1.0, 3.0, true)]
    [InlineData(1.0, 1.0, 3.0, true)]
    [InlineData(3.0, 1.0, 3.0, true)]
    [InlineData(0.5, 1.0, 3.0, false)]
    [InlineData(5.0, 1.0, 3.0, false)]
    [InlineData(5.0, 1.0, null, true)]
    [InlineData(0.5, null, 3.0, true)]
    public void SliceThicknessMustLieWithinTheBounds(double thickness, double? min, double? max, bool matches) =>
        Assert.Equal(matches,
            Route(Series(thickness: thickness), Rule(new SeriesMatch { MinSliceThickness = min, MaxSliceThickness = max })) is not null);

    [Fact]
    public void ASeriesWithoutSliceThicknessFailsEitherBound()
    {
        Assert.Null(Route(Series(thickness: null), Rule(new SeriesMatch { MinSliceThickness = 0 })));
        Assert.Null(Route(Series(thickness: null), Rule(new SeriesMatch { MaxSliceThickness = 100 })));
        Assert.NotNull(Route(Series(thickness: null), Rule(new SeriesMatch { Modality = "CT" })));
    }

    [Fact]
    public void TheFirstMatchingRuleWins()
    {
        var match = Route(Series(),
            Rule(new SeriesMatch { Modality = "MR" }, "mr"),
            Rule(new SeriesMatch { Modality = "CT", SeriesDescription = "thorax" }, "thorax"),
            Rule(new SeriesMatch { Modality = "CT" }, "any-ct"));
        Assert.NotNull(match);
        Assert.Equal(1, match.RouteIndex);
        Assert.Equal("thorax", match.RouteName);
        Assert.Equal("", match.Channel);
    }

    [Fact]
    public void AnUnnamedRuleIsNamedByItsIndex()
    {
        var match = Route(Series(), Rule(new SeriesMatch { Modality = "MR" }), Rule(new SeriesMatch()));
        Assert.Equal("route-1", match?.RouteName);
    }

    [Fact]
    public void AMultiChannelRulePicksTheChannelWhoseConditionsHold()
    {
        var rule = new DicomWebRoute
        {
            Match = new SeriesMatch { Manufacturer = "Siemens" },
            Model = "TwoChannel",
            Channels =
            {
                ["ct"] = new SeriesMatch { Modality = "CT" },
                ["mr"] = new SeriesMatch { Modality = "MR", SeriesDescription = "t1" },
            },
        };
        Assert.Equal("ct", Route(Series(), rule)?.Channel);
        Assert.Equal("mr", Route(Series(modality: "MR", seriesDescription: "Ax T1 post"), rule)?.Channel);
        Assert.Null(Route(Series(modality: "MR", seriesDescription: "T2"), rule));
        Assert.Null(Route(Series(manufacturer: "GE"), rule)); // the rule's own Match holds for every channel
    }

    [Fact]
    public void NoMatchingRuleGivesNull()
    {
        Assert.Null(Route(Series(), Rule(new SeriesMatch { Modality = "MR" }), Rule(new SeriesMatch { Manufacturer = "GE" })));
        Assert.Null(Route(Series()));
    }
}
