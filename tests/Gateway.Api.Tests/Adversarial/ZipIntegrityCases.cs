using System.Buffers.Binary;

namespace InnerEye.Gateway.Api.Tests.Adversarial;

/// <summary>
/// Zips of the phantom series whose integrity is broken: a CRC-32 or a size that disagrees with the data or with the
/// other header, flipped bits in an entry's data, truncation, sizes far beyond the data. None may give a result.
/// </summary>
public static class ZipIntegrityCases
{
    private static readonly (ushort Method, string Name)[] Methods = [(RawZipEntry.Deflated, "deflated"), (RawZipEntry.Stored, "stored")];

    public static List<HostileCase> Generate(PhantomSlices phantom, Random random) =>
        [.. Crc(phantom, random), .. Sizes(phantom, random), .. BitFlips(phantom, random), .. Truncations(phantom, random), .. HugeClaims(phantom)];

    private static HostileCase Broken(string name, byte[] upload) => new(name, Expectation.NeverCompletes, upload);

    /// <summary>A CRC-32 one bit off in the local header, the central directory, or both.</summary>
    private static IEnumerable<HostileCase> Crc(PhantomSlices phantom, Random random)
    {
        foreach (var (method, methodName) in Methods)
        {
            foreach (var where in new[] { "local", "central", "both" })
            {
                for (var n = 0; n < 2; n++)
                {
                    var entries = phantom.Entries(method);
                    var k = random.Next(entries.Count);
                    var bad = System.IO.Hashing.Crc32.HashToUInt32(entries[k].Data) ^ (1u << random.Next(32));
                    entries[k] = entries[k] with { LocalCrc = where == "central" ? null : bad, CentralCrc = where == "local" ? null : bad };
                    yield return Broken($"crc/{where}-{methodName}-{n}:{entries[k].Name}", RawZip.Write(entries));
                }
            }
        }
    }

    /// <summary>A compressed or uncompressed size, in the local header or the central directory, smaller or larger than the data.</summary>
    private static IEnumerable<HostileCase> Sizes(PhantomSlices phantom, Random random)
    {
        foreach (var (method, methodName) in Methods)
        {
            foreach (var field in new[] { "compressed", "uncompressed" })
            {
                foreach (var header in new[] { "local", "central" })
                {
                    foreach (var direction in new[] { "smaller", "larger" })
                    {
                        var entries = phantom.Entries(method);
                        var k = random.Next(entries.Count);
                        var truth = field == "compressed" ? entries[k].EncodedPayload().Length : entries[k].Data.Length;
                        var value = (uint)(direction == "smaller" ? truth - random.Next(1, truth / 2 + 1) : truth + random.Next(1, 4097));
                        entries[k] = (field, header) switch
                        {
                            ("compressed", "local") => entries[k] with { LocalCompressedSize = value },
                            ("compressed", _) => entries[k] with { CentralCompressedSize = value },
                            (_, "local") => entries[k] with { LocalUncompressedSize = value },
                            _ => entries[k] with { CentralUncompressedSize = value },
                        };
                        yield return Broken($"size/{header}-{field}-{direction}-{methodName}:{entries[k].Name}({truth}->{value})",
                            RawZip.Write(entries));
                    }
                }
            }
        }
    }

    /// <summary>
    /// One flipped bit in an entry's data, headers true to the original: in a deflate stream (preferring flips that still
    /// inflate to the right length with other pixels, which only the CRC reveals), and in stored pixels.
    /// </summary>
    private static IEnumerable<HostileCase> BitFlips(PhantomSlices phantom, Random random)
    {
        for (var n = 0; n < 10; n++)
        {
            var entries = phantom.Entries();
            var k = random.Next(entries.Count);
            var data = entries[k].Data;
            var payload = entries[k].EncodedPayload();
            var wantSilent = n % 3 != 2;
            (byte[] Payload, string Kind, int Bit)? chosen = null;
            for (var attempt = 0; attempt < 400 && chosen is not { Kind: "silent" }; attempt++)
            {
                var bit = random.Next(payload.Length * 8);
                var flipped = (byte[])payload.Clone();
                flipped[bit / 8] ^= (byte)(1 << (bit % 8));
                var inflated = RawZipEntry.TryInflate(flipped, data.Length * 4);
                var kind = inflated is null ? "invalid"
                    : inflated.Length != data.Length ? "garbled"
                    : inflated.AsSpan().SequenceEqual(data) ? null
                    : FirstDifference(inflated, data) >= data.Length - PhantomSlices.PixelBytes ? "silent" : "garbled";
                if (kind is null) continue;
                chosen ??= (flipped, kind, bit);
                if (kind == "silent") chosen = (flipped, kind, bit);
                if (!wantSilent) break;
            }
            var (bytes, what, at) = chosen ?? throw new InvalidOperationException("No bit flip changed the inflated data.");
            entries[k] = entries[k] with { Payload = bytes };
            yield return Broken($"bitflip/deflated-{what}-{n}:{entries[k].Name}@bit{at}", RawZip.Write(entries));
        }
        for (var n = 0; n < 4; n++)
        {
            var entries = phantom.Entries(RawZipEntry.Stored);
            var k = random.Next(entries.Count);
            var flipped = (byte[])entries[k].Data.Clone();
            var at = random.Next(flipped.Length - PhantomSlices.PixelBytes, flipped.Length);
            flipped[at] ^= (byte)(1 << random.Next(8));
            entries[k] = entries[k] with { Payload = flipped };
            yield return Broken($"bitflip/stored-pixels-{n}:{entries[k].Name}@byte{at}", RawZip.Write(entries));
        }
    }

    private static int FirstDifference(byte[] a, byte[] b) => a.AsSpan().CommonPrefixLength(b);

    /// <summary>Files cut short anywhere; central directories cut, short of a record, or counted and sized wrongly; one entry's data cut
    /// short.</summary>
    private static IEnumerable<HostileCase> Truncations(PhantomSlices phantom, Random random)
    {
        var zip = RawZip.Write(phantom.Entries(), out var layout);
        int[] cuts = [zip.Length / 10, zip.Length * 35 / 100, zip.Length * 6 / 10, zip.Length * 85 / 100, random.Next(1, zip.Length), zip.Length - 1];
        for (var n = 0; n < cuts.Length; n++) yield return Broken($"truncated/file-{n}-at-{cuts[n]}-of-{zip.Length}", zip[..cuts[n]]);

        var centralLength = layout.EndOfCentralDirectory - layout.CentralDirectory;
        for (var n = 0; n < 2; n++)
        {
            var cut = layout.CentralDirectory + random.Next(1, centralLength);
            yield return Broken($"truncated/central-directory-cut-{n}-at-{cut}", zip[..cut]);
        }
        var lastRecord = layout.CentralRecords[^1];
        yield return Broken("truncated/central-directory-last-record-dropped", [.. zip[..lastRecord], .. zip[layout.EndOfCentralDirectory..]]);

        var countShort = (byte[])zip.Clone();
        var entries = BinaryPrimitives.ReadUInt16LittleEndian(countShort.AsSpan(layout.EndOfCentralDirectory + 8));
        BinaryPrimitives.WriteUInt16LittleEndian(countShort.AsSpan(layout.EndOfCentralDirectory + 8), (ushort)(entries - 1));
        BinaryPrimitives.WriteUInt16LittleEndian(countShort.AsSpan(layout.EndOfCentralDirectory + 10), (ushort)(entries - 1));
        yield return Broken("truncated/central-directory-count-one-short", countShort);

        var sizeShort = (byte[])zip.Clone();
        BinaryPrimitives.WriteUInt32LittleEndian(sizeShort.AsSpan(layout.EndOfCentralDirectory + 12), (uint)(lastRecord - layout.CentralDirectory));
        yield return Broken("truncated/central-directory-size-one-record-short", sizeShort);

        yield return Broken("truncated/end-record-cut", zip[..^10]);

        for (var n = 0; n < 2; n++)
        {
            var cutEntries = phantom.Entries(n == 0 ? RawZipEntry.Deflated : RawZipEntry.Stored);
            var k = random.Next(cutEntries.Count);
            var full = cutEntries[k].EncodedPayload();
            var keep = random.Next(full.Length / 4, full.Length - 1);
            cutEntries[k] = cutEntries[k] with { Payload = full[..keep], LocalCompressedSize = (uint)full.Length,
                CentralCompressedSize = (uint)full.Length };
            yield return Broken($"truncated/entry-data-{(n == 0 ? "deflated" : "stored")}:{cutEntries[k].Name}({keep}-of-{full.Length})",
                RawZip.Write(cutEntries));
        }
    }

    /// <summary>Entries of about a kilobyte that claim to inflate to 1 GiB or 4 GiB − 1, in one header or both.</summary>
    private static IEnumerable<HostileCase> HugeClaims(PhantomSlices phantom)
    {
        const uint OneGiB = 1u << 30, FourGiBLess1 = uint.MaxValue;
        var head = phantom.Files[0].Bytes[..1024];
        RawZipEntry Claim(string name, uint? local, uint? central) =>
            new() { Name = name, Data = head, LocalUncompressedSize = local, CentralUncompressedSize = central };

        yield return Broken("huge/1GiB-one-entry", RawZip.Write([Claim("ct/0", OneGiB, OneGiB)]));
        yield return Broken("huge/1GiB-eight-entries", RawZip.Write([.. Enumerable.Range(0, 8).Select(i => Claim($"ct/{i}", OneGiB, OneGiB))]));
        yield return Broken("huge/1GiB-central-only", RawZip.Write([Claim("ct/0", null, OneGiB)]));
        yield return Broken("huge/1GiB-local-only", RawZip.Write([Claim("ct/0", OneGiB, null)]));
        yield return Broken("huge/4GiB-1-one-entry", RawZip.Write([Claim("ct/0", FourGiBLess1, FourGiBLess1)]));
        yield return Broken("huge/4GiB-1-compressed-size", RawZip.Write([Claim("ct/0", null, null) with { LocalCompressedSize = FourGiBLess1,
            CentralCompressedSize = FourGiBLess1 }]));
        yield return Broken("huge/1GiB-beside-phantom", RawZip.Write([.. phantom.Entries(), Claim($"ct/{phantom.Files.Count}", OneGiB, OneGiB)]));
    }
}
