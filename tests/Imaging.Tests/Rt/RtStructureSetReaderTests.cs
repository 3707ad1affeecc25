using InnerEye.Imaging.Dicom;
using InnerEye.Imaging.Rt;
using InnerEye.Imaging.Tests.Support;

namespace InnerEye.Imaging.Tests.Rt;

public class RtStructureSetReaderTests
{
    [SkippableFact]
    public void ReadsAStructureSetAnotherToolkitWrote()
    {
        PydicomCorpus.Require();
        var content = RtStructureSetReader.Read(DicomReader.ReadFile(PydicomCorpus.PathOf("rtstruct.dcm")));
        Assert.Equal(["patient", "Isocenter 1", "Isocenter 2"], content.Rois.Select(r => r.Name));
        Assert.Equal([1, 2, 3], content.Rois.Select(r => r.Number));
        Assert.Equal(new byte[] { 220, 160, 120 }, content.Rois[0].Color);
        Assert.Equal([3, 1, 1], content.Rois.Select(r => r.Contours.Count));
        Assert.Equal([5, 6, 6], content.Rois[0].Contours.Select(c => c.Points.Length / 3));
    }

    [SkippableTheory]
    [MemberData(nameof(RtTestData.Kinds), MemberType = typeof(RtTestData))]
    public void RasterizingWhatTheWriterWroteRecoversTheMasks(string kind)
    {
        using var dir = new TempDirectory();
        var series = SyntheticCtSeries.WriteAndLoad(RtTestData.Spec(kind), dir.Path);
        var labels = RtTestData.Labels(series.Volume);
        var options = new RtWriteOptions("Default_Manufacturer", "Default_Interpreter", "PassThroughModel:1729", "", "");
        var bytes = RtStructureSetWriter.Build(labels, series, RtTestData.Structures, options).ToBytes();

        var content = RtStructureSetReader.Read(DicomReader.Read(bytes));
        Assert.Equal(RtTestData.Structures.Select(s => s.Name), content.Rois.Select(r => r.Name));
        Assert.Equal(series.SeriesInstanceUid, content.ReferencedSeriesInstanceUid);
        Assert.Equal(series.FrameOfReferenceUid, content.FrameOfReferenceUid);
        Assert.Equal("PassThroughModel:1729", content.SoftwareVersions);
        var volume = series.Volume;
        for (var s = 0; s < RtTestData.Structures.Length; s++)
        {
            var mask = RtRasterizer.Rasterize(content.Rois[s], series);
            for (var z = 0; z < volume.SizeZ; z++)
            {
                var expected = RtTestData.ExpectedMask(labels, volume, RtTestData.Structures, s, z);
                Assert.True(expected.AsSpan().SequenceEqual(mask.AsSpan(z * volume.SliceLength, volume.SliceLength)),
                    $"{kind}: ROI {s + 1} slice {z}");
            }
        }
    }
}
