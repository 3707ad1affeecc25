namespace InnerEye.Gateway.Api.Tests.Adversarial;

/// <summary>What an upload may end as.</summary>
public enum Expectation
{
    /// <summary>An intact upload of a valid series: it must give a result.</summary>
    Completes,

    /// <summary>Zip integrity broken, an unsafe name, or no zip at all: it must be refused (4xx or an input failure), never give a result.</summary>
    NeverCompletes,

    /// <summary>An intact zip with odd contents: a result is allowed only when the Imaging library itself accepts the upload.</summary>
    CompletesOnlyIfLoadable,
}

/// <summary>One hostile upload: a name that says what was done to it (family/variant), what it may end as, and its bytes.</summary>
public sealed record HostileCase(string Name, Expectation Expect, byte[] Upload)
{
    public string Family => Name.Split('/')[0];

    public override string ToString() => $"{Name} ({Upload.Length} bytes, {Expect})";
}
