namespace InnerEye.Grains.DicomWeb;

public enum SeriesPhase
{
    /// <summary>Instances are arriving; complete after the quiet period.</summary>
    Receiving,

    /// <summary>Complete and matched; being handed to its study's intake.</summary>
    Handing,

    /// <summary>Handed to its study's intake; the instances are kept for the routed retention.</summary>
    Routed,

    /// <summary>Complete, no rule matched; deleted after the unrouted retention.</summary>
    Unrouted,
}

/// <summary>A stored instance of a series.</summary>
[GenerateSerializer, Immutable, Alias("InnerEye.StoredInstance")]
public sealed record StoredInstance([property: Id(0)] string SopClassUid, [property: Id(1)] ArtifactRef Artifact,
    [property: Id(2)] string ContentHash, [property: Id(3)] long Length);

/// <summary>The persisted state of a series' intake.</summary>
[GenerateSerializer, Alias("InnerEye.SeriesIntakeState")]
public sealed class SeriesIntakeState
{
    [Id(0)] public SeriesAttributes? Series { get; set; }
    [Id(1)] public Dictionary<string, StoredInstance> Instances { get; set; } = new(StringComparer.Ordinal);
    [Id(2)] public DateTimeOffset LastReceivedAt { get; set; }
    [Id(3)] public SeriesPhase Phase { get; set; }

    /// <summary>When the series entered its phase.</summary>
    [Id(4)] public DateTimeOffset PhaseSince { get; set; }

    /// <summary>How many times the series was found complete (a late instance opens a new round).</summary>
    [Id(5)] public int Round { get; set; }

    [Id(6)] public int RouteIndex { get; set; } = -1;
    [Id(7)] public string Channel { get; set; } = "";

    public bool Exists => Series is not null;
}
