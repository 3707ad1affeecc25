namespace InnerEye.Imaging.Dicom;

/// <summary>
/// One parsed element: where its value lies in the data set's buffer. Nothing is decoded until asked for.
/// <see cref="Link"/> indexes the owning data set's sequence or fragment table when the element has items.
/// </summary>
public readonly record struct DicomElement(DicomTag Tag, DicomVR VR, int Offset, int Length, int Link = -1)
{
    public bool IsSequence => VR == DicomVR.SQ && Link >= 0;
}
