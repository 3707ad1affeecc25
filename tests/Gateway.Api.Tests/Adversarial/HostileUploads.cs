using System.Globalization;

namespace InnerEye.Gateway.Api.Tests.Adversarial;

/// <summary>Every hostile upload made from one seed, and the transfer syntaxes left out because their tool is missing.</summary>
public sealed record HostileCorpus(int Seed, IReadOnlyList<HostileCase> Cases, IReadOnlyList<string> MissingTools);

/// <summary>
/// The seeded generator: a 32 × 32 × 8 phantom series, zips of it with broken integrity or odd shapes, other bodies,
/// and mutated files of every transfer syntax. The same seed (and the same dcmtk and GDCM) gives the same cases, byte
/// for byte. The seed is <see cref="DefaultSeed"/> unless INNEREYE_ADVERSARIAL_SEED names another.
/// </summary>
public static class HostileUploads
{
    public const int DefaultSeed = 20260311;

    private static readonly Lazy<HostileCorpus> Shared = new(() => Generate(Seed));

    public static int Seed =>
        int.TryParse(Environment.GetEnvironmentVariable("INNEREYE_ADVERSARIAL_SEED"), NumberStyles.None, CultureInfo.InvariantCulture, out var seed)
            ? seed : DefaultSeed;

    /// <summary>The cases of <see cref="Seed"/>, made once per test run.</summary>
    public static HostileCorpus Corpus => Shared.Value;

    public static HostileCorpus Generate(int seed)
    {
        var phantom = PhantomSlices.Generate(seed % 100_000);
        var transcoded = TranscodedSlices.Of(phantom);
        // Each family draws from its own stream, so a change to one family leaves the others' cases as they were.
        List<HostileCase> cases =
        [
            .. ZipIntegrityCases.Generate(phantom, new Random(Derive(seed, 1))),
            .. ZipShapeCases.Generate(phantom, new Random(Derive(seed, 2))),
            .. DicomMutationCases.Generate(transcoded, new Random(Derive(seed, 3))),
        ];
        var repeated = cases.GroupBy(c => c.Name).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        if (repeated.Count > 0) throw new InvalidOperationException($"Case names repeat: {string.Join(", ", repeated)}");
        return new HostileCorpus(seed, cases, transcoded.Missing);
    }

    private static int Derive(int seed, int family) => unchecked((seed * 7919) + family * 104_729);
}
