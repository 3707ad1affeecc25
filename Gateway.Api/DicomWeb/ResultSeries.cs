using InnerEye.Grains;
using InnerEye.Grains.Artifacts;
using InnerEye.Grains.DicomWeb;
using InnerEye.Imaging.Dicom;

namespace InnerEye.Gateway.Api.DicomWeb;

/// <summary>A result this service made for a study (an RT Structure Set or a DICOM Segmentation: one series of one instance).</summary>
public sealed record ResultSeries(string SegmentationId, ArtifactRef File, string StudyInstanceUid, string SeriesInstanceUid, string SopClassUid,
    string SopInstanceUid, string? Modality, string? SeriesDescription, string? SeriesNumber);

/// <summary>
/// The results of a study: the completed segmentations its DICOMweb intake started, in each DICOM form kept (RT Structure
/// Set, DICOM Segmentation BINARY and label map), read from their files.
/// </summary>
public sealed class StudyResults(IGrainFactory grains, IArtifactStore store)
{
    private static readonly ResultFormat[] DicomFormats = [ResultFormat.RtStruct, ResultFormat.Seg, ResultFormat.LabelMapSeg];

    public async Task<IReadOnlyList<ResultSeries>> ListAsync(string study, CancellationToken ct)
    {
        var ids = await grains.GetGrain<IStudyIntakeGrain>(IntakeKeys.Grain(study)).GetSegmentations();
        var statuses = await Task.WhenAll(ids.Select(id => grains.GetGrain<ISegmentationGrain>(id).GetStatus(ct)));
        var results = new List<ResultSeries>();
        foreach (var status in statuses)
        {
            if (status is not { State: JobState.Completed, Result: { } rt }) continue;
            foreach (var format in DicomFormats)
            {
                var file = ResultArtifacts.Of(rt, format);
                if (!store.Exists(file)) continue;
                var d = DicomReader.ReadHeader(store.LocalPath(file)).Dataset;
                if (d.GetFirstString(DicomTags.StudyInstanceUID)?.Trim() != study) continue;
                results.Add(new ResultSeries(status.SegmentationId, file, study, d.GetFirstString(DicomTags.SeriesInstanceUID)?.Trim() ?? "",
                    d.GetFirstString(DicomTags.SOPClassUID)?.Trim() ?? "", d.GetFirstString(DicomTags.SOPInstanceUID)?.Trim() ?? "",
                    d.GetFirstString(DicomTags.Modality)?.Trim(), d.GetString(DicomTags.SeriesDescription)?.Trim(),
                    d.GetFirstString(DicomTags.SeriesNumber)?.Trim()));
            }
        }
        return results;
    }
}
