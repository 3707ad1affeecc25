using InnerEye.Imaging.Dicom;

namespace InnerEye.Imaging.Rt;

/// <summary>Reads the ROIs and closed planar contours of an RT Structure Set, whoever wrote it.</summary>
public static class RtStructureSetReader
{
    public static RtStructureSetContent Read(DicomFile file)
    {
        var ds = file.Dataset;
        if (ds.GetString(DicomTags.SOPClassUID) != RtStructureSetWriter.RtStructureSetStorage)
            throw new DicomFormatException("NotAStructureSet",
                $"The file is not an RT Structure Set (SOP class {ds.GetString(DicomTags.SOPClassUID)}).");
        var frame = ds.Items(DicomTags.ReferencedFrameOfReferenceSequence).FirstOrDefault();
        var series = frame?.Items(DicomTags.RTReferencedStudySequence).FirstOrDefault()?.Items(DicomTags.RTReferencedSeriesSequence).FirstOrDefault();

        var contoursByRoi = new Dictionary<int, (byte[] Color, List<RtContour> Contours)>();
        foreach (var roi in ds.Items(DicomTags.ROIContourSequence))
        {
            var number = roi.GetInt32(DicomTags.ReferencedROINumber) ?? throw new DicomFormatException("MissingAttribute",
                "An ROI Contour item has no ReferencedROINumber.");
            var color = roi.GetDoubles(DicomTags.ROIDisplayColor)?.Select(c => (byte)Math.Clamp(c, 0, 255)).ToArray() ?? [];
            var contours = new List<RtContour>();
            foreach (var c in roi.Items(DicomTags.ContourSequence))
            {
                var image = c.Items(DicomTags.ContourImageSequence).FirstOrDefault();
                var points = c.GetDoubles(DicomTags.ContourData) ?? [];
                if (points.Length % 3 != 0)
                    throw new DicomFormatException("InvalidContour",
                        $"ContourData of ROI {number} holds {points.Length} numbers, not x\\y\\z triples.");
                contours.Add(new RtContour(image?.GetString(DicomTags.ReferencedSOPInstanceUID) ?? "", points));
            }
            contoursByRoi[number] = (color, contours);
        }
        var types = ds.Items(DicomTags.RTROIObservationsSequence)
            .Where(o => o.GetInt32(DicomTags.ReferencedROINumber) is not null)
            .GroupBy(o => o.GetInt32(DicomTags.ReferencedROINumber)!.Value)
            .ToDictionary(g => g.Key, g => g.First().GetString(DicomTags.RTROIInterpretedType) ?? "");
        var rois = ds.Items(DicomTags.StructureSetROISequence).Select(item =>
        {
            var number = item.GetInt32(DicomTags.ROINumber) ?? throw new DicomFormatException("MissingAttribute",
                "A Structure Set ROI item has no ROINumber.");
            var (color, contours) = contoursByRoi.GetValueOrDefault(number, ([], []));
            return new RtRoi(number, item.GetString(DicomTags.ROIName) ?? "", color, types.GetValueOrDefault(number, ""), contours);
        }).ToList();
        return new RtStructureSetContent(frame?.GetString(DicomTags.FrameOfReferenceUID) ?? "", series?.GetString(DicomTags.SeriesInstanceUID) ?? "",
            ds.GetString(DicomTags.Manufacturer) ?? "", ds.GetString(DicomTags.SoftwareVersions) ?? "", rois);
    }
}
