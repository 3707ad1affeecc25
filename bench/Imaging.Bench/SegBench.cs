using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using InnerEye.Imaging.Phantoms;
using InnerEye.Imaging.Rt;
using InnerEye.Imaging.Seg;
using InnerEye.Imaging.Series;

/// <summary>
/// DICOM Segmentation writing beside the RT Structure Set writing of the same labels: a 512×512×200 thorax phantom
/// (seed 4242, 0.8×0.8×1.5 mm, the labels of ThoraxCT's five structures), written once into FOLDER and loaded; each
/// writer builds and encodes its Part 10 file in memory, best of the repeats. Sizes are the files' and, for reference,
/// the files deflated (what the Deflated Explicit VR Little Endian transfer syntax would store).
/// </summary>
internal static class SegBench
{
    public static void Run(string folder, int repeats)
    {
        var options = new ThoraxPhantomOptions { Seed = 4242, Rows = 512, Columns = 512, Slices = 200, ColumnSpacing = 0.8, RowSpacing = 0.8,
            SliceSpacing = 1.5 };
        var phantom = ThoraxPhantom.Generate(options);
        var ct = Path.Combine(folder, "ct");
        if (!Directory.Exists(ct) || Directory.GetFiles(ct).Length != options.Slices) PhantomWriter.Write(phantom, folder);
        var series = VolumeLoader.Load(ct).ThrowIfInvalid().Channels[0];
        var labels = PhantomStructures.InSliceOrderOf(phantom, series);
        string[] names = ["SpinalCord", "Lung_R", "Lung_L", "Heart", "Esophagus"];
        byte[][] colours = [[255, 0, 0], [0, 255, 0], [0, 0, 255], [255, 0, 255], [255, 255, 0]];
        var structures = names.Select((n, i) => new RtStructure(n, colours[i][0], colours[i][1], colours[i][2], "ORGAN", false)).ToList();
        var segments = names.Select((n, i) => new SegSegment(n, colours[i][0], colours[i][1], colours[i][2])).ToList();
        var rtOptions = new RtWriteOptions("InnerEye", "", "ThoraxCT:1", "", "bench");
        var segOptions = new SegWriteOptions("InnerEye", "ThoraxCT", "1", "ThoraxCT:1");

        Console.WriteLine(FormattableString.Invariant(
            $"cores: {Environment.ProcessorCount}; labelled voxels: {labels.Count(v => v != 0)} of {labels.Length}"));
        Measure("RT Structure Set", repeats, () => RtStructureSetWriter.Build(labels, series, structures, rtOptions).ToBytes(), null);
        Measure("SEG BINARY", repeats, () => SegmentationWriter.Build(labels, series, segments, segOptions, SegForm.Binary).ToBytes(),
            SegForm.Binary);
        Measure("SEG label map", repeats, () => SegmentationWriter.Build(labels, series, segments, segOptions, SegForm.LabelMap).ToBytes(),
            SegForm.LabelMap);
    }

    private static void Measure(string name, int repeats, Func<byte[]> write, SegForm? form)
    {
        var best = double.MaxValue;
        byte[] bytes = [];
        for (var r = 0; r < repeats; r++)
        {
            GC.Collect();
            var watch = Stopwatch.StartNew();
            bytes = write();
            best = Math.Min(best, watch.Elapsed.TotalSeconds);
        }
        using var deflated = new MemoryStream();
        using (var z = new DeflateStream(deflated, CompressionLevel.Optimal, leaveOpen: true)) z.Write(bytes);
        Console.WriteLine(FormattableString.Invariant($"{name,-18} seconds={best:0.0000} bytes={bytes.Length} deflatedBytes={deflated.Length}"));
    }
}
