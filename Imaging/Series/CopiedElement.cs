using InnerEye.Imaging.Dicom;

namespace InnerEye.Imaging.Series;

/// <summary>An element copied byte for byte from a source image (patient and study attributes for derived objects).</summary>
public sealed record CopiedElement(DicomTag Tag, DicomVR VR, byte[] Value);
