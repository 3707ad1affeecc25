namespace InnerEye.Gateway.Api.Tests.Adversarial;

/// <summary>
/// The adversarial tests run one after another: the loader tests measure allocations process-wide, which a concurrent
/// server run would disturb.
/// </summary>
[CollectionDefinition(Name)]
public sealed class AdversarialCollection
{
    public const string Name = "Adversarial";
}
