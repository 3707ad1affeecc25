using InnerEye.Imaging.Dicom;

namespace InnerEye.Imaging.Series;

/// <summary>
/// The Patient and General Study modules of an object derived from a series (RT Structure Set, DICOM Segmentation):
/// copied byte for byte from the source; Type 2 attributes it lacks written empty, Type 3 ones (StudyDescription, and
/// SpecificCharacterSet) only when it has them; StudyInstanceUID echoed.
/// </summary>
public static class PatientStudyCopy
{
    private static readonly (DicomTag Tag, DicomVR VR)[] CopiedType2 =
    [
        (DicomTags.StudyDate, DicomVR.DA), (DicomTags.StudyTime, DicomVR.TM), (DicomTags.AccessionNumber, DicomVR.SH),
        (DicomTags.ReferringPhysicianName, DicomVR.PN), (DicomTags.PatientName, DicomVR.PN), (DicomTags.PatientID, DicomVR.LO),
        (DicomTags.PatientBirthDate, DicomVR.DA), (DicomTags.PatientSex, DicomVR.CS), (DicomTags.StudyID, DicomVR.SH),
    ];

    private static readonly DicomTag[] CopiedIfPresent = [DicomTags.SpecificCharacterSet, DicomTags.StudyDescription];

    public static void AddTo(DicomDatasetBuilder ds, LoadedSeries source)
    {
        ArgumentNullException.ThrowIfNull(ds);
        ArgumentNullException.ThrowIfNull(source);
        var copied = source.PatientAndStudy.Where(c => c.Tag != DicomTags.StudyInstanceUID).ToDictionary(c => c.Tag.Value);
        foreach (var (tag, vr) in CopiedType2)
        {
            if (copied.TryGetValue(tag.Value, out var c)) ds.AddBytes(tag, c.VR, c.Value);
            else ds.Add(tag, vr, "");
        }
        foreach (var tag in CopiedIfPresent)
        {
            if (copied.TryGetValue(tag.Value, out var c)) ds.AddBytes(tag, c.VR, c.Value);
        }
        ds.Add(DicomTags.StudyInstanceUID, DicomVR.UI, source.StudyInstanceUid);
    }
}
