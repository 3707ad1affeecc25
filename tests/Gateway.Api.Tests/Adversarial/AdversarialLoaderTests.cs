using System.Security.Cryptography;
using Xunit.Abstractions;

namespace InnerEye.Gateway.Api.Tests.Adversarial;

/// <summary>
/// The hostile uploads fed straight to the Imaging library's <c>VolumeLoader.Load(path)</c>, with no server: each loads
/// or throws an <see cref="Imaging.ImagingException"/>, none with broken integrity loads as a series, and no load
/// allocates far beyond its data.
/// </summary>
[Trait("Category", "Adversarial")]
[Collection(AdversarialCollection.Name)]
public sealed class AdversarialLoaderTests(ITestOutputHelper output)
{
    /// <summary>A load may allocate this many bytes per uploaded byte, plus <see cref="AllocationAllowance"/>.</summary>
    public const long AllocationPerUploadByte = 64;
    public const long AllocationAllowance = 256L << 20;

    private static HostileCorpus Corpus => HostileUploads.Corpus;

    private void Report()
    {
        var families = Corpus.Cases.GroupBy(c => c.Family).Select(g => $"{g.Key} {g.Count()}");
        output.WriteLine($"seed {Corpus.Seed}: {Corpus.Cases.Count} cases ({string.Join(", ", families)})");
        if (Corpus.MissingTools.Count > 0) output.WriteLine($"*** left out for missing tools: {string.Join(", ", Corpus.MissingTools)} ***");
    }

    [SkippableFact]
    public void TheGeneratorGivesTheSameCasesForTheSameSeed()
    {
        Report();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var again = HostileUploads.Generate(Corpus.Seed);
        output.WriteLine($"generated again in {clock.Elapsed.TotalSeconds:0.0} s");
        Assert.Equal(Corpus.Cases.Select(c => c.Name), again.Cases.Select(c => c.Name));
        var differing = Corpus.Cases.Zip(again.Cases).Where(p => !SHA256.HashData(p.First.Upload).AsSpan()
            .SequenceEqual(SHA256.HashData(p.Second.Upload)))
            .Select(p => p.First.Name).ToList();
        Assert.True(differing.Count == 0, $"Bytes differ for the same seed: {string.Join(", ", differing)}");
        string[] families = ["crc", "size", "bitflip", "truncated", "huge", "valid", "many", "nested", "traversal", "duplicate", "not-zip",
            "empty", "dicom"];
        Assert.All(families, f => Assert.Contains(Corpus.Cases, c => c.Family == f));
    }

    [SkippableFact]
    public void EveryCaseLoadsOrFailsWithATypedError()
    {
        Report();
        var violations = Corpus.Cases.Select(c => (Case: c, Verdict: LoaderControl.Of(c))).Where(p => p.Verdict.Unexpected is not null)
            .Select(p => $"{p.Case}: {p.Verdict.Outcome}").ToList();
        Violations.AssertNone(output, "VolumeLoader.Load must load an upload or throw an ImagingException, nothing else", violations,
            Corpus.Cases.Count);
    }

    [SkippableFact]
    public void NoBrokenUploadLoadsAsASeries()
    {
        Report();
        var judged = Corpus.Cases.Where(c => c.Expect != Expectation.CompletesOnlyIfLoadable).ToList();
        var violations = new List<string>();
        foreach (var c in judged)
        {
            var verdict = LoaderControl.Of(c);
            if (c.Expect == Expectation.NeverCompletes && verdict.Accepted) violations.Add($"{c}: {verdict.Outcome}");
            if (c.Expect == Expectation.Completes && !verdict.Accepted) violations.Add($"{c} (valid, yet): {verdict.Outcome}");
        }
        var loadable = Corpus.Cases.Where(c => c.Expect == Expectation.CompletesOnlyIfLoadable).Count(c => LoaderControl.Of(c).Accepted);
        output.WriteLine($"intact zips with odd contents or mutated DICOM that the library accepts: {loadable}");
        Violations.AssertNone(output, "No upload with broken zip integrity, an unsafe name or no zip may load as a series (and every valid one must)",
            violations,
            judged.Count);
    }

    [SkippableFact]
    public void NoLoadAllocatesFarBeyondItsData()
    {
        Report();
        var violations = Corpus.Cases.Select(c => (Case: c, Verdict: LoaderControl.Of(c)))
            .Where(p => p.Verdict.AllocatedBytes > AllocationPerUploadByte * p.Case.Upload.Length + AllocationAllowance)
            .Select(p => $"{p.Case}: allocated {p.Verdict.AllocatedBytes / (1 << 20)} MB ({p.Verdict.Outcome})").ToList();
        var largest = Corpus.Cases.MaxBy(c => LoaderControl.Of(c).AllocatedBytes)!;
        output.WriteLine($"largest allocation: {LoaderControl.Of(largest).AllocatedBytes / (1 << 20)} MB by {largest}");
        Violations.AssertNone(output,
            $"A load may allocate at most {AllocationPerUploadByte} bytes per uploaded byte + {AllocationAllowance >> 20} MB", violations,
            Corpus.Cases.Count);
    }
}
