using System.IO.Compression;
using System.Text;

namespace InnerEye.Gateway.Api.Tests.Adversarial;

/// <summary>
/// Intact zips of odd shapes and bodies that are no zip: valid series stored and deflated, 100,000 tiny entries, zips
/// inside the zip, names that leave the upload, duplicate names, empty zips, other formats.
/// </summary>
public static class ZipShapeCases
{
    public const int ManyEntries = 100_000;

    public static List<HostileCase> Generate(PhantomSlices phantom, Random random) =>
        [.. Valid(phantom), .. Many(phantom), .. Nested(phantom), .. Traversal(phantom), .. Duplicates(phantom, random),
            .. NotZip(phantom, random), .. Empty()];

    private static IEnumerable<HostileCase> Valid(PhantomSlices phantom)
    {
        yield return new("valid/phantom-writer-zip", Expectation.Completes, phantom.WriterZip);
        yield return new("valid/deflated", Expectation.Completes, RawZip.Write(phantom.Entries()));
        yield return new("valid/stored", Expectation.Completes, RawZip.Write(phantom.Entries(RawZipEntry.Stored)));
        yield return new("valid/stored-and-deflated", Expectation.Completes,
            RawZip.Write([.. phantom.Entries().Select((e, i) => i % 2 == 0 ? e : e with { Method = RawZipEntry.Stored })]));
        yield return new("valid/with-folder-entries", Expectation.Completes,
            RawZip.Write([new RawZipEntry { Name = "ct/", Data = [], Method = RawZipEntry.Stored }, .. phantom.Entries()]));
    }

    /// <summary>100,000 entries of a few bytes each, alone and beside the series.</summary>
    private static IEnumerable<HostileCase> Many(PhantomSlices phantom)
    {
        static IEnumerable<RawZipEntry> Tiny(string folder) => Enumerable.Range(0, ManyEntries).Select(i =>
            new RawZipEntry { Name = $"{folder}/{i}", Data = [(byte)i, (byte)(i >> 8), (byte)(i >> 16)], Method = RawZipEntry.Stored });
        yield return new($"many/{ManyEntries}-tiny-entries", Expectation.CompletesOnlyIfLoadable, RawZip.Write([.. Tiny("ct")]));
        yield return new($"many/{ManyEntries}-tiny-entries-beside-series", Expectation.CompletesOnlyIfLoadable,
            RawZip.Write([.. phantom.Entries(), .. Tiny("other")]));
    }

    /// <summary>The series zipped inside the upload: beside the series, alone, and three zips deep.</summary>
    private static IEnumerable<HostileCase> Nested(PhantomSlices phantom)
    {
        var inner = phantom.WriterZip;
        yield return new("nested/zip-beside-series", Expectation.CompletesOnlyIfLoadable,
            RawZip.Write([.. phantom.Entries(), new RawZipEntry { Name = $"ct/{phantom.Files.Count}", Data = inner }]));
        yield return new("nested/zip-alone-in-channel", Expectation.CompletesOnlyIfLoadable,
            RawZip.Write([new RawZipEntry { Name = "ct/0", Data = inner }]));
        yield return new("nested/zip-at-top-level", Expectation.CompletesOnlyIfLoadable,
            RawZip.Write([new RawZipEntry { Name = "scan.zip", Data = inner }]));
        var deep = inner;
        for (var level = 0; level < 3; level++) deep = RawZip.Write([new RawZipEntry { Name = "ct/0", Data = deep, Method = RawZipEntry.Stored }]);
        yield return new("nested/three-deep", Expectation.CompletesOnlyIfLoadable, deep);
    }

    /// <summary>An entry whose name leaves the upload, beside the valid series: such a zip is refused.</summary>
    private static IEnumerable<HostileCase> Traversal(PhantomSlices phantom)
    {
        foreach (var (variant, name) in new[] { ("dotdot", "../x"), ("absolute", "/abs"), ("drive", @"C:\x"), ("channel-dotdot", "ct/../../x"),
            ("backslash-dotdot", @"..\x") })
        {
            yield return new($"traversal/{variant}", Expectation.NeverCompletes,
                RawZip.Write([.. phantom.Entries(), new RawZipEntry { Name = name, Data = phantom.Files[0].Bytes }]));
        }
        var renamed = phantom.Entries();
        renamed[0] = renamed[0] with { Name = "ct/../../ct/0" };
        yield return new("traversal/slice-renamed", Expectation.NeverCompletes, RawZip.Write(renamed));
    }

    private static IEnumerable<HostileCase> Duplicates(PhantomSlices phantom, Random random)
    {
        var entries = phantom.Entries();
        var k = random.Next(entries.Count);
        yield return new($"duplicate/same-entry-twice:{entries[k].Name}", Expectation.CompletesOnlyIfLoadable,
            RawZip.Write([.. entries, entries[k]]));

        var renamed = phantom.Entries();
        var (a, b) = (random.Next(renamed.Count), random.Next(renamed.Count - 1));
        if (b >= a) b++;
        renamed[a] = renamed[a] with { Name = renamed[b].Name };
        yield return new($"duplicate/two-slices-one-name:{renamed[b].Name}", Expectation.CompletesOnlyIfLoadable, RawZip.Write(renamed));

        var junk = new byte[512];
        random.NextBytes(junk);
        yield return new("duplicate/name-shared-with-junk", Expectation.CompletesOnlyIfLoadable,
            RawZip.Write([.. phantom.Entries(), new RawZipEntry { Name = "ct/0", Data = junk }]));
    }

    /// <summary>Bodies that are not zips at all.</summary>
    private static IEnumerable<HostileCase> NotZip(PhantomSlices phantom, Random random)
    {
        var noise = new byte[4096];
        random.NextBytes(noise);
        using var gzip = new MemoryStream();
        using (var stream = new GZipStream(gzip, CompressionLevel.Optimal, leaveOpen: true)) stream.Write(phantom.WriterZip);
        byte[] localHeaderOnly = [0x50, 0x4B, 0x03, 0x04, .. noise[..256]];
        byte[] endRecordToNowhere = [.. noise[..1024], 0x50, 0x4B, 0x05, 0x06, 0, 0, 0, 0, 8, 0, 8, 0, 0, 0, 1, 0, 0xF0, 0xFF, 0, 0, 0, 0];
        yield return new("not-zip/empty-body", Expectation.NeverCompletes, []);
        yield return new("not-zip/random-bytes", Expectation.NeverCompletes, noise);
        yield return new("not-zip/text", Expectation.NeverCompletes, Encoding.UTF8.GetBytes("This is not a zip file.\n"));
        yield return new("not-zip/gzip-of-zip", Expectation.NeverCompletes, gzip.ToArray());
        yield return new("not-zip/bare-dicom-file", Expectation.NeverCompletes, phantom.Files[0].Bytes);
        yield return new("not-zip/local-header-then-noise", Expectation.NeverCompletes, localHeaderOnly);
        yield return new("not-zip/end-record-pointing-nowhere", Expectation.NeverCompletes, endRecordToNowhere);
    }

    private static IEnumerable<HostileCase> Empty()
    {
        yield return new("empty/end-record-only", Expectation.NeverCompletes, RawZip.Write([]));
        yield return new("empty/folder-entry-only", Expectation.NeverCompletes,
            RawZip.Write([new RawZipEntry { Name = "ct/", Data = [], Method = RawZipEntry.Stored }]));
        yield return new("empty/zero-byte-entries", Expectation.NeverCompletes,
            RawZip.Write([.. Enumerable.Range(0, 8).Select(i => new RawZipEntry { Name = $"ct/{i}", Data = [], Method = RawZipEntry.Stored })]));
    }
}
