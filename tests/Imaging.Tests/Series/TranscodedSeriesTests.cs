using InnerEye.Imaging.Series;
using InnerEye.Imaging.Tests.Support;

namespace InnerEye.Imaging.Tests.Series;

/// <summary>
/// A series transcoded by dcmtk and GDCM into every syntax the gateway may forward loads to the same HU volume as the
/// uncompressed original (or, for near-lossless JPEG-LS, to what dcmtk itself decodes).
/// </summary>
public class TranscodedSeriesTests
{
    private static readonly (string Tool, string Options)[] Lossless =
    [
        ("dcmcrle", ""),
        ("dcmcjpeg", "--encode-lossless-sv1"),
        ("dcmcjpeg", "--encode-lossless --selection-value 4"),
        ("dcmcjpeg", "--encode-lossless --selection-value 7 --point-transform 0"),
        ("dcmcjpls", "--encode-lossless"),
        ("dcmconv", "--write-xfer-big"),
        ("dcmconv", "--write-xfer-implicit"),
        ("dcmconv", "--write-xfer-deflated"),
        ("gdcmconv", "--rle"),
        ("gdcmconv", "--jpeg"),
        ("gdcmconv", "--jpegls"),
        ("gdcmconv", "--j2k"),
    ];

    /// <summary>Each transcoder on a signed 16-bit series our DicomWriter wrote and an unsigned 12-bit one pydicom wrote.</summary>
    public static TheoryData<string, string, string> Transcoders()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var (tool, options) in Lossless)
        {
            data.Add(tool, options, "ours");
            data.Add(tool, options, "pydicom");
        }
        return data;
    }

    [SkippableTheory]
    [MemberData(nameof(Transcoders))]
    public void LosslessTranscodeLoadsToTheSameVolume(string tool, string options, string writer)
    {
        SyntheticSeries.RequireTools();
        ExternalProcess.Require(tool);
        using var dir = new TempDirectory();
        var sourcePath = dir.Combine("source");
        if (writer == "ours") Rt.SyntheticCtSeries.Write(new Rt.SyntheticCtSpec { Name = "transcode", Slices = 5 }, Path.Combine(sourcePath, "ct"));
        else SyntheticSeries.Make(sourcePath, "--slices", "5", "--rows", "48", "--cols", "40", "--bits-stored", "12");
        var transcoded = Transcode(sourcePath, dir.Combine("transcoded"), tool, options.Split(' ', StringSplitOptions.RemoveEmptyEntries));

        var expected = Assert.Single(VolumeLoader.Load(sourcePath).ThrowIfInvalid().Channels);
        var actual = Assert.Single(VolumeLoader.Load(transcoded).ThrowIfInvalid().Channels);
        Assert.Equal(expected.Volume.ToArray(), actual.Volume.ToArray());
        Assert.Equal(expected.Volume.Origin, actual.Volume.Origin);
        Assert.False(actual.Volume.Lossy);
    }

    [SkippableFact]
    public void NearLosslessJpegLsMatchesDcmtksOwnDecodeAndIsMarkedLossy()
    {
        SyntheticSeries.RequireTools();
        ExternalProcess.Require("dcmcjpls");
        ExternalProcess.Require("dcmdjpls");
        using var dir = new TempDirectory();
        var source = SyntheticSeries.Make(dir.Combine("source"), "--slices", "4", "--rows", "40", "--cols", "48");
        var lossy = Transcode(source.Path, dir.Combine("near"), "dcmcjpls", ["--encode-nearlossless", "--max-deviation", "3"]);
        var decodedByDcmtk = Transcode(lossy, dir.Combine("dcmtk"), "dcmdjpls", []);

        var original = Assert.Single(VolumeLoader.Load(source.Path).ThrowIfInvalid().Channels).Volume.ToArray();
        var ours = Assert.Single(VolumeLoader.Load(lossy).ThrowIfInvalid().Channels);
        var theirs = Assert.Single(VolumeLoader.Load(decodedByDcmtk).ThrowIfInvalid().Channels).Volume.ToArray();
        Assert.True(ours.Volume.Lossy);
        Assert.Equal(["1.2.840.10008.1.2.4.81"], ours.TransferSyntaxes);
        var values = ours.Volume.ToArray();
        Assert.Equal(theirs, values);
        Assert.All(values.Zip(original), p => Assert.InRange(Math.Abs(p.First - p.Second), 0, 3));
        Assert.Contains(values.Zip(original), p => p.First != p.Second);
    }

    private static string Transcode(string sourceFolder, string target, string tool, string[] options)
    {
        Directory.CreateDirectory(Path.Combine(target, "ct"));
        foreach (var file in Directory.GetFiles(Path.Combine(sourceFolder, "ct")))
        {
            var output = Path.Combine(target, "ct", Path.GetFileName(file));
            ExternalProcess.Run(tool, [.. options, file, output]);
        }
        return target;
    }
}
