using System.IO.Compression;
using InnerEye.Imaging.Series;
using InnerEye.Imaging.Tests.Pixels;
using InnerEye.Imaging.Tests.Support;
using InnerEye.Imaging.Zip;
using static InnerEye.Imaging.Tests.Zip.ZipFixtures;

namespace InnerEye.Imaging.Tests.Zip;

/// <summary>
/// The zip reader hands on exactly what zip writers wrote, and refuses with a typed error every zip whose headers
/// disagree with each other or with the data: no damaged byte is ever handed on.
/// </summary>
public sealed class ZipReaderTests : IDisposable
{
    // Header field offsets (PKWARE APPNOTE 4.3.7 and 4.3.12).
    private const int LocalCrc = 14, LocalCompressed = 18, LocalUncompressed = 22;
    private const int CentralFlags = 8, CentralCrc = 16, CentralCompressed = 20, CentralUncompressed = 24, CentralName = 46;

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [SkippableTheory]
    [InlineData(CompressionLevel.Optimal)]
    [InlineData(CompressionLevel.Fastest)]
    [InlineData(CompressionLevel.NoCompression)]
    public void EntriesOfDotNetZipsAreReadExactly(CompressionLevel level)
    {
        var zip = WriteDotNetZip(_dir.NewPath("a.zip"), level);
        Assert.Equal(Files.Select(f => (f.Name, Convert.ToHexString(f.Data))), ReadAll(zip).Select(f => (f.Name, Convert.ToHexString(f.Data))));
    }

    [SkippableTheory]
    [InlineData("deflated")]
    [InlineData("stored")]
    [InlineData("zip64")]
    [InlineData("zip64central")]
    [InlineData("streamed")]
    public void EntriesOfPythonZipsAreReadExactly(string layout)
    {
        ExternalTool.Require(ExternalTool.Python, ExternalTool.Script("write_zips.py"));
        var output = _dir.NewPath("py");
        ExternalTool.Run(ExternalTool.Python, ExternalTool.Script("write_zips.py"), WriteFolder(_dir.NewPath("src")), output);
        var read = ReadAll(Path.Combine(output, layout + ".zip"));
        Assert.Equal(Files.Select(f => (f.Name, Convert.ToHexString(f.Data))), read.Select(f => (f.Name, Convert.ToHexString(f.Data))));
    }

    [SkippableFact]
    public void AnEndRecordThatDefersToItsZip64RecordIsFollowed()
    {
        ExternalTool.Require(ExternalTool.Python, ExternalTool.Script("write_zips.py"));
        var output = _dir.NewPath("py");
        ExternalTool.Run(ExternalTool.Python, ExternalTool.Script("write_zips.py"), WriteFolder(_dir.NewPath("src")), output);
        var zip = Path.Combine(output, "zip64central.zip");
        var bytes = File.ReadAllBytes(zip);
        var end = bytes.Length - 22;
        Assert.Equal(0x06054b50u, Read32(bytes, end));
        // Counts and directory offset all ones, as in an archive past the 32-bit limits: only the zip64 record has them.
        Write16(bytes, end + 8, 0xFFFF);
        Write16(bytes, end + 10, 0xFFFF);
        Write32(bytes, end + 16, 0xFFFFFFFF);
        File.WriteAllBytes(zip, bytes);
        Assert.Equal(Files.Select(f => (f.Name, Convert.ToHexString(f.Data))), ReadAll(zip).Select(f => (f.Name, Convert.ToHexString(f.Data))));

        Write32(bytes, end - 20 + 8, 7); // the locator now points to no zip64 end record
        File.WriteAllBytes(zip, bytes);
        Assert.Equal("InvalidZip", ReadFails(zip).Code);
    }

    [SkippableTheory]
    [InlineData("central")]
    [InlineData("local")]
    [InlineData("both")]
    public void AWrongCrcIsACorruptEntryNamingIt(string where)
    {
        var (zip, bytes) = DotNetZipBytes();
        var (local, central) = Layout(bytes, zip);
        var crc = Read32(bytes, central[1] + CentralCrc) ^ 0x00010000;
        if (where is "central" or "both") Write32(bytes, central[1] + CentralCrc, crc);
        if (where is "local" or "both") Write32(bytes, local[1] + LocalCrc, crc);
        File.WriteAllBytes(zip, bytes);
        var error = ReadFails(zip);
        Assert.Equal("CorruptEntry", error.Code);
        Assert.Contains("'ct/1'", error.Message);
    }

    [SkippableFact]
    public void NoBitFlipInsideDeflateDataGetsThrough()
    {
        var (zip, original) = DotNetZipBytes();
        var (local, _) = Layout(original, zip);
        var start = DataStart(original, local[1]);
        var random = new Random(11);
        for (var i = 0; i < 150; i++)
        {
            var bytes = (byte[])original.Clone();
            var at = start + random.Next(0, 4000);
            bytes[at] ^= (byte)(1 << random.Next(8));
            File.WriteAllBytes(zip, bytes);
            var error = ReadFails(zip);
            Assert.True(error.Code == "CorruptEntry", $"flip at {at}: {error.Code} {error.Message}");
        }
    }

    [SkippableTheory]
    [InlineData(1L << 30)]
    [InlineData(uint.MaxValue - 1L)]
    public void AnEntryClaimingAHugeSizeIsRefusedWithoutAllocatingIt(long claimed)
    {
        var zip = WriteDotNetZip(_dir.NewPath("small.zip"), CompressionLevel.Optimal, [("ct/0", new byte[600])]);
        var bytes = File.ReadAllBytes(zip);
        Assert.True(bytes.Length < 1024);
        var (local, central) = Layout(bytes, zip);
        Write32(bytes, central[0] + CentralUncompressed, (uint)claimed);
        Write32(bytes, local[0] + LocalUncompressed, (uint)claimed);
        File.WriteAllBytes(zip, bytes);
        var options = SeriesLoadOptions.Default with { MaxEntryBytes = 4L << 30 };
        var before = GC.GetAllocatedBytesForCurrentThread();
        var error = ReadFails(zip, options);
        Assert.True(error.Code is "CorruptEntry" or "EntryTooLarge", error.Code);
        Assert.InRange(GC.GetAllocatedBytesForCurrentThread() - before, 0, 1 << 20);
    }

    [SkippableFact]
    public void AnEntryThatInflatesToMoreThanItDeclaresIsCorrupt()
    {
        var (zip, bytes) = DotNetZipBytes();
        var (local, central) = Layout(bytes, zip);
        Write32(bytes, central[1] + CentralUncompressed, (uint)Pattern.Length - 1);
        Write32(bytes, local[1] + LocalUncompressed, (uint)Pattern.Length - 1);
        File.WriteAllBytes(zip, bytes);
        Assert.Equal("CorruptEntry", ReadFails(zip).Code);
    }

    [SkippableFact]
    public void ACompressedSizePastTheDataIsCorrupt()
    {
        var (zip, bytes) = DotNetZipBytes();
        var (local, central) = Layout(bytes, zip);
        Write32(bytes, central[2] + CentralCompressed, 1u << 24);
        Write32(bytes, local[2] + LocalCompressed, 1u << 24);
        File.WriteAllBytes(zip, bytes);
        var error = ReadFails(zip);
        Assert.Equal("CorruptEntry", error.Code);
        Assert.Contains("'ct/2'", error.Message);
    }

    [SkippableFact]
    public void EveryTruncationIsATypedError()
    {
        var (zip, bytes) = DotNetZipBytes();
        var cut = _dir.NewPath("cut.zip");
        for (var length = 0; length < bytes.Length; length += 211)
        {
            File.WriteAllBytes(cut, bytes[..length]);
            var error = ReadFails(cut);
            Assert.True(error.Code is "InvalidZip" or "CorruptEntry", $"length {length}: {error.Code}");
        }
    }

    [SkippableFact]
    public void MoreEntriesThanTheLimitAreRefusedBeforeTheDirectoryIsRead()
    {
        var zip = WriteDotNetZip(_dir.NewPath("many.zip"), CompressionLevel.Fastest, Enumerable.Range(0, 11).Select(i => ($"ct/{i}", new byte[10])));
        var error = ReadFails(zip, SeriesLoadOptions.Default with { Zip = ZipLimits.Default with { MaxEntries = 10 } });
        Assert.Equal("TooManyEntries", error.Code);
    }

    [SkippableFact]
    public void TwoEntriesWithOneNameAreRefused()
    {
        var zip = WriteDotNetZip(_dir.NewPath("twice.zip"), CompressionLevel.Fastest, [("ct/0", Noise), ("ct/0", Pattern)]);
        Assert.Equal("DuplicateEntryName", ReadFails(zip).Code);
    }

    [SkippableFact]
    public void AnEncryptedEntryIsRefused()
    {
        var (zip, bytes) = DotNetZipBytes();
        var (_, central) = Layout(bytes, zip);
        Write16(bytes, central[0] + CentralFlags, 1);
        File.WriteAllBytes(zip, bytes);
        Assert.Equal("UnsupportedZipEntry", ReadFails(zip).Code);
    }

    [SkippableFact]
    public void ALocalHeaderNamingAnotherFileIsCorrupt()
    {
        var (zip, bytes) = DotNetZipBytes();
        var (_, central) = Layout(bytes, zip);
        bytes[central[0] + CentralName + 3] = (byte)'9'; // the directory says ct/9, the local header ct/0
        File.WriteAllBytes(zip, bytes);
        Assert.Equal("CorruptEntry", ReadFails(zip).Code);
    }

    [SkippableFact]
    public void ADataDescriptorThatDisagreesIsCorrupt()
    {
        ExternalTool.Require(ExternalTool.Python, ExternalTool.Script("write_zips.py"));
        var output = _dir.NewPath("py");
        ExternalTool.Run(ExternalTool.Python, ExternalTool.Script("write_zips.py"), WriteFolder(_dir.NewPath("src")), output);
        var zip = Path.Combine(output, "streamed.zip");
        var bytes = File.ReadAllBytes(zip);
        var (local, _) = Layout(bytes, zip);
        var (entries, _) = ZipCentralDirectory.Read(zip, ZipLimits.Default);
        var descriptor = DataStart(bytes, local[0]) + entries[0].CompressedSize;
        var crcAt = Read32(bytes, descriptor) == 0x08074b50 ? descriptor + 4 : descriptor;
        Write32(bytes, crcAt, Read32(bytes, crcAt) ^ 1);
        File.WriteAllBytes(zip, bytes);
        Assert.Equal("CorruptEntry", ReadFails(zip).Code);
    }

    [SkippableFact]
    public void ACorruptEntryLoadedInParallelIsTheImagingErrorItself()
    {
        var files = Enumerable.Range(0, 40).Select(i => ($"ct/{i}", MakeNoise(2000, i))).ToList();
        var zip = WriteDotNetZip(_dir.NewPath("many.zip"), CompressionLevel.Optimal, files);
        var bytes = File.ReadAllBytes(zip);
        var (_, central) = Layout(bytes, zip);
        Write32(bytes, central[33] + CentralCrc, Read32(bytes, central[33] + CentralCrc) ^ 4);
        File.WriteAllBytes(zip, bytes);
        var error = Assert.Throws<ImagingException>(() => VolumeLoader.Load(zip, SeriesLoadOptions.Default with { MaxDegreeOfParallelism = 4 }));
        Assert.Equal("CorruptEntry", error.Code);
        Assert.Contains("'ct/33'", error.Message);
    }

    private (string Path, byte[] Bytes) DotNetZipBytes()
    {
        var zip = WriteDotNetZip(_dir.NewPath("a.zip"), CompressionLevel.Optimal);
        return (zip, File.ReadAllBytes(zip));
    }
}
