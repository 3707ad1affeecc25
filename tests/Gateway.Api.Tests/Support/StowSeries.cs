using System.Text;
using InnerEye.Imaging.Dicom;
using InnerEye.Imaging.Phantoms;

namespace InnerEye.Gateway.Api.Tests.Support;

/// <summary>Phantom series as DICOM files, and STOW-RS bodies of them.</summary>
public static class StowSeries
{
    public const string MrImageStorage = "1.2.840.10008.5.1.4.1.1.4";

    /// <summary>
    /// The phantom's slices as Part 10 files; an MR series gets the MR SOP class, its own series and instance UIDs, and
    /// <paramref name="study"/> (or the phantom's study) as its StudyInstanceUID.
    /// </summary>
    public static IReadOnlyList<byte[]> Slices(int seed, int size = 64, int slices = 4, string modality = "CT", string? study = null)
    {
        var phantom = ThoraxPhantom.Generate(new ThoraxPhantomOptions { Seed = seed, Rows = size, Columns = size, Slices = slices });
        return [.. Enumerable.Range(0, slices).Select(k =>
        {
            var ds = PhantomWriter.BuildSlice(phantom, k);
            if (modality != "CT")
            {
                ds.Set(DicomTags.Modality, DicomVR.CS, modality)
                    .Set(DicomTags.SOPClassUID, DicomVR.UI, MrImageStorage)
                    .Set(DicomTags.SeriesInstanceUID, DicomVR.UI, $"2.25.{seed}{modality.Length}0{(int)modality[0]}")
                    .Set(DicomTags.SOPInstanceUID, DicomVR.UI, $"2.25.{seed}{modality.Length}0{(int)modality[0]}0{k + 1}")
                    .Set(DicomTags.SeriesDescription, DicomVR.LO, $"{modality} series");
            }
            if (study is not null) ds.Set(DicomTags.StudyInstanceUID, DicomVR.UI, study);
            return DicomWriter.WriteFile(ds, TransferSyntax.ExplicitVRLittleEndian);
        })];
    }

    public static string Uid(byte[] file, DicomTag tag) => DicomReader.Read(file).Dataset.GetFirstString(tag)!.Trim();

    /// <summary>A multipart/related body of the parts; each part with <c>Content-Type: application/dicom</c> unless told otherwise.</summary>
    public static byte[] Body(IEnumerable<byte[]> parts, string boundary, string? partType = "application/dicom")
    {
        using var body = new MemoryStream();
        foreach (var part in parts)
        {
            body.Write(Encoding.ASCII.GetBytes($"--{boundary}\r\n{(partType is null ? "" : $"Content-Type: {partType}\r\n")}\r\n"));
            body.Write(part);
            body.Write("\r\n"u8);
        }
        body.Write(Encoding.ASCII.GetBytes($"--{boundary}--\r\n"));
        return body.ToArray();
    }

    public static string ContentType(string boundary, bool quoted = false) =>
        $"multipart/related; type=\"application/dicom\"; boundary={(quoted ? $"\"{boundary}\"" : boundary)}";
}
