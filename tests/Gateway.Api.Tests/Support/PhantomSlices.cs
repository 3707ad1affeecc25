using System.IO.Compression;
using InnerEye.Imaging.Dicom;

namespace InnerEye.Gateway.Api.Tests.Support;

/// <summary>The CT slices of a phantom series (<see cref="Phantoms.Zip"/>) as separate DICOM files, with their UIDs.</summary>
public sealed record PhantomSlices(IReadOnlyList<byte[]> Files, string StudyInstanceUid, string SeriesInstanceUid,
    IReadOnlyList<string> SopInstanceUids)
{
    public static PhantomSlices Create(int seed = 1, int size = 32, int slices = 3)
    {
        using var archive = new ZipArchive(new MemoryStream(Phantoms.Zip(seed, size, slices)), ZipArchiveMode.Read);
        var files = new List<byte[]>();
        foreach (var entry in archive.Entries.Where(e => e.Length > 0).OrderBy(e => e.FullName, StringComparer.Ordinal))
        {
            using var stream = entry.Open();
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            files.Add(copy.ToArray());
        }
        var datasets = files.Select(f => DicomReader.Read(f).Dataset).ToList();
        return new PhantomSlices(files, Uid(datasets[0], DicomTags.StudyInstanceUID), Uid(datasets[0], DicomTags.SeriesInstanceUID),
            [.. datasets.Select(d => Uid(d, DicomTags.SOPInstanceUID))]);
    }

    public static string Uid(byte[] dicom, DicomTag tag) => Uid(DicomReader.Read(dicom).Dataset, tag);

    private static string Uid(DicomDataset dataset, DicomTag tag) => dataset.GetString(tag)?.TrimEnd('\0', ' ') ?? "";
}
