using Microsoft.Extensions.Options;
using Orleans.Configuration;

namespace InnerEye.Grains.Hosting;

/// <summary>Refuses a start with <c>Cluster:Membership</c> liveness settings out of range, naming each setting.</summary>
public sealed class ClusterMembershipOptionsValidator : IValidateOptions<ClusterMembershipOptions>
{
    public const string Section = "Cluster:Membership";

    public ValidateOptionsResult Validate(string? name, ClusterMembershipOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return ValidatedOptions.Result(Problems(options));
    }

    private static IEnumerable<string> Problems(ClusterMembershipOptions o)
    {
        if (o.ProbeTimeout <= TimeSpan.Zero) yield return $"{Section}:ProbeTimeout is {o.ProbeTimeout}; expected more than 00:00:00.";
        if (o.NumMissedProbesLimit < 1) yield return $"{Section}:NumMissedProbesLimit is {o.NumMissedProbesLimit}; expected 1 or more.";
        if (o.NumVotesForDeathDeclaration < 1)
            yield return $"{Section}:NumVotesForDeathDeclaration is {o.NumVotesForDeathDeclaration}; expected 1 or more.";
        if (o.NumProbedSilos < 1) yield return $"{Section}:NumProbedSilos is {o.NumProbedSilos}; expected 1 or more.";
        if (o.NumVotesForDeathDeclaration > o.NumProbedSilos)
        {
            yield return $"{Section}:NumVotesForDeathDeclaration ({o.NumVotesForDeathDeclaration}) must be at most " +
                $"NumProbedSilos ({o.NumProbedSilos}).";
        }
    }
}
