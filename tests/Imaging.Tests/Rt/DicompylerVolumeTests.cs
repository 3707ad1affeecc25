using System.Globalization;
using System.Text.Json;
using InnerEye.Imaging.Rt;
using InnerEye.Imaging.Tests.Support;
using Xunit.Abstractions;

namespace InnerEye.Imaging.Tests.Rt;

/// <summary>
/// dicompyler-core (an independent reader: shapely polygons, a polygon inside the largest one subtracted) finds each
/// structure's volume to be its voxel count times the voxel volume: every plane's area is the area of the structure's
/// pixels on that slice, keyhole rings, islands in holes, filled holes and corner-touching staircases included.
/// </summary>
public sealed class DicompylerVolumeTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "rt-dicompyler-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }

    [SkippableFact]
    public void StructureVolumesAreVoxelCountTimesVoxelVolume()
    {
        ExternalProcess.Require(ExternalProcess.Python, "dicompylercore");
        // dicompyler-core reads axial structure sets (x and y of each point, planes keyed by z).
        var spec = RtTestData.Spec("axial");
        var series = SyntheticCtSeries.WriteAndLoad(spec, Path.Combine(_root, "axial"));
        var volume = series.Volume;
        var labels = RtTestData.Labels(volume);
        var structures = RtTestData.Structures;
        var options = new RtWriteOptions("Default_Manufacturer", "InnerEye", "PassThroughModel:1729", "PassThroughModel:1729", "");
        var path = Path.Combine(_root, "rt.dcm");
        using (var file = File.Create(path)) RtStructureSetWriter.Write(file, labels, series, structures, options);

        var (_, json, _) = ExternalProcess.RunPythonTool("dicompyler_volumes.py", path);
        var rois = JsonDocument.Parse(json).RootElement;
        double pixelArea = volume.Spacing[0] * volume.Spacing[1], sliceSpacing = volume.Spacing[2];
        var sliceAtZ = series.Slices.Select((s, k) => (s.Position[2], k)).ToList();
        for (var s = 0; s < structures.Length; s++)
        {
            var roi = rois.GetProperty((s + 1).ToString(CultureInfo.InvariantCulture));
            Assert.Equal(structures[s].Name, roi.GetProperty("name").GetString());
            var counts = Enumerable.Range(0, volume.SizeZ)
                .Select(z => RtTestData.ExpectedMask(labels, volume, structures, s, z).Count(b => b != 0)).ToArray();
            var planes = roi.GetProperty("planes").EnumerateObject()
                .Select(p => (Z: double.Parse(p.Name, CultureInfo.InvariantCulture), Area: p.Value.GetDouble())).ToList();
            Assert.Equal(counts.Count(c => c > 0), planes.Count);
            var total = 0.0;
            foreach (var (z, area) in planes)
            {
                var k = sliceAtZ.Single(p => Math.Abs(p.Item1 - z) < 0.01).k;
                Assert.True(Math.Abs(area - counts[k] * pixelArea) < 1e-6,
                    $"{structures[s].Name} slice {k}: dicompyler {area} mm², {counts[k]} pixels");
                total += area;
            }
            var expected = counts.Sum() * pixelArea * sliceSpacing / 1000;
            Assert.Equal(expected, total * sliceSpacing / 1000, 9);

            // dicompyler's own volume halves the first and last plane of a structure on more than one plane (flooring
            // each polygon's half area to whole mm²), and takes the smallest gap between planes as their thickness.
            var own = roi.GetProperty("volume").GetDouble();
            output.WriteLine(
                $"{structures[s].Name}: {counts.Sum()} voxels, {expected:0.000000} cm³; dicompyler {own:0.000000} cm³ over {planes.Count} planes");
            if (planes.Count == 0) { Assert.Equal(0, own); continue; }
            Assert.Equal(sliceSpacing, roi.GetProperty("thickness").GetDouble(), 6);
            var polygons = roi.GetProperty("polygons");
            var (first, last) = (planes.MinBy(p => p.Z), planes.MaxBy(p => p.Z));
            var ends = planes.Count > 1 ? first.Area / 2 + last.Area / 2 : 0;
            int Polygons((double Z, double Area) p) =>
                polygons.EnumerateObject().Single(q => Math.Abs(double.Parse(q.Name, CultureInfo.InvariantCulture) - p.Z) < 1e-6).Value.GetInt32();
            var floored = planes.Count > 1 ? Polygons(first) + Polygons(last) : 0;
            var unfloored = (total - ends) * sliceSpacing / 1000;
            Assert.InRange(own, unfloored - floored * sliceSpacing / 1000, unfloored + 1e-9);
        }
    }
}
