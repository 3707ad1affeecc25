namespace InnerEye.Grains.DicomWeb;

/// <summary>
/// DICOMweb intake, routing and delivery (configuration section <c>DicomWeb</c>), checked at start by
/// <see cref="DicomWebOptionsValidator"/>.
/// </summary>
public sealed class DicomWebOptions
{
    public const string Section = "DicomWeb";

    /// <summary>A series is complete once no instance of it has arrived for this long.</summary>
    public TimeSpan SeriesQuietPeriod { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How long a series that no rule matches (or a study still missing a channel's series) is kept before it is deleted.</summary>
    public TimeSpan UnroutedRetention { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// How long a routed series' instances are kept after its segmentation started: an instance that arrives late
    /// within this time runs the whole series again.
    /// </summary>
    public TimeSpan RoutedRetention { get; set; } = TimeSpan.FromHours(1);

    /// <summary>The rules, in order; the first whose every condition holds routes the series.</summary>
    public List<DicomWebRoute> Routes { get; set; } = [];

    /// <summary>DICOMweb servers the results are sent to, by name.</summary>
    public Dictionary<string, DicomWebDestination> Destinations { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    public DeliveryOptions Delivery { get; set; } = new();
}

/// <summary>
/// A routing rule: conditions on a series, the model (<c>Id</c> or <c>Id:Version</c>) and where its result goes. A
/// multi-channel model's rule names, under <see cref="Channels"/>, the conditions of the series that feeds each input
/// channel (from the same study); <see cref="Match"/> then holds for all of them.
/// </summary>
public sealed class DicomWebRoute
{
    /// <summary>The rule's name in job statuses; <c>route-&lt;index&gt;</c> when not set.</summary>
    public string? Name { get; set; }

    public SeriesMatch Match { get; set; } = new();

    public string Model { get; set; } = "";

    public List<string> Destinations { get; set; } = [];

    /// <summary>
    /// The forms delivered, in one STOW-RS request a destination: <c>rtstruct</c>, <c>seg</c>, <c>labelmap-seg</c>; the RT
    /// Structure Set alone when none is named.
    /// </summary>
    public List<string> Formats { get; set; } = [];

    public Dictionary<string, SeriesMatch> Channels { get; set; } = new(StringComparer.Ordinal);
}

/// <summary>
/// Conditions on a series; an unset one always holds. <see cref="Modality"/> and <see cref="Manufacturer"/> compare
/// exactly, ignoring case; the descriptions and names are regular expressions (searched, case-insensitive); slice
/// thickness bounds are in mm and fail on a series without SliceThickness.
/// </summary>
public sealed class SeriesMatch
{
    public string? Modality { get; set; }
    public string? Manufacturer { get; set; }
    public string? BodyPartExamined { get; set; }
    public string? SeriesDescription { get; set; }
    public string? StudyDescription { get; set; }
    public string? ProtocolName { get; set; }
    public double? MinSliceThickness { get; set; }
    public double? MaxSliceThickness { get; set; }
}

/// <summary>A DICOMweb server: its base URL (ending in '/'), extra request headers and optional HTTP Basic credentials.</summary>
public sealed class DicomWebDestination
{
    public string Url { get; set; } = "";
    public Dictionary<string, string> Headers { get; set; } = new(StringComparer.OrdinalIgnoreCase);
    public string? Username { get; set; }
    public string? Password { get; set; }
}

/// <summary>How results are retried: exponential back-off from <see cref="FirstRetryDelay"/> up to <see cref="MaxRetryDelay"/>, for at most
/// <see cref="GiveUpAfter"/>.</summary>
public sealed class DeliveryOptions
{
    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromSeconds(5);
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(30);
    public TimeSpan GiveUpAfter { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How long one STOW-RS request may take.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromMinutes(2);
}
