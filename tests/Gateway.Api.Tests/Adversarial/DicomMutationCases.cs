namespace InnerEye.Gateway.Api.Tests.Adversarial;

/// <summary>
/// The phantom series in each transfer syntax, intact (it must give a result) and with one file's bytes or lengths
/// mutated inside an otherwise valid zip (a result only where the Imaging library itself accepts the upload).
/// </summary>
public static class DicomMutationCases
{
    public const int MutationsPerSyntax = 9;

    public static List<HostileCase> Generate(TranscodedSlices transcoded, Random random)
    {
        var cases = new List<HostileCase>();
        foreach (var (syntax, _, _) in TranscodedSlices.Syntaxes)
        {
            if (!transcoded.Series.TryGetValue(syntax, out var files)) continue;
            List<RawZipEntry> Entries() => [.. files.Select(f => new RawZipEntry { Name = f.Name, Data = f.Bytes })];
            cases.Add(new($"dicom/{syntax}/intact", Expectation.Completes, RawZip.Write(Entries())));
            for (var n = 0; n < MutationsPerSyntax; n++)
            {
                var kind = DicomMutator.Kinds[n % DicomMutator.Kinds.Length];
                var entries = Entries();
                var k = random.Next(entries.Count);
                entries[k] = entries[k] with { Data = DicomMutator.Mutate(entries[k].Data, kind, random) };
                cases.Add(new($"dicom/{syntax}/{kind}-{n}:{entries[k].Name}", Expectation.CompletesOnlyIfLoadable, RawZip.Write(entries)));
            }
        }
        return cases;
    }
}
