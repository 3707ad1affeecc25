using System.IO.Compression;
using InnerEye.Grains.Audit;
using InnerEye.Imaging.Dicom;

namespace InnerEye.Gateway.Api.Tests.Support;

/// <summary>Reads a server's audit trail back, and the patient data of phantoms that must never appear in it.</summary>
public static class AuditTrail
{
    public static string Folder(string dataPath) => Path.Combine(dataPath, "audit");

    public static IReadOnlyList<AuditRecord> Read(string dataPath) => AuditRecordJson.ReadFolder(Folder(dataPath));

    /// <summary>The records of one job, in order.</summary>
    public static IReadOnlyList<AuditRecord> Of(string dataPath, string segmentationId) =>
        [.. Read(dataPath).Where(r => r.SegmentationId == segmentationId)];

    /// <summary>The last record written; the request that wrote it has just been answered.</summary>
    public static AuditRecord Last(string dataPath) => Read(dataPath)[^1];

    /// <summary>The patient name and id and the UIDs of the DICOM files in a zip or given as files.</summary>
    public static IReadOnlyList<string> PatientData(IEnumerable<byte[]> files) =>
        [.. files.SelectMany(f =>
        {
            var d = DicomReader.Read(f).Dataset;
            return new[]
                {
                    DicomTags.PatientName, DicomTags.PatientID, DicomTags.StudyInstanceUID, DicomTags.SeriesInstanceUID, DicomTags.SOPInstanceUID,
                }
                .Select(t => d.GetFirstString(t)?.Trim())
                .Where(v => !string.IsNullOrEmpty(v))
                .Select(v => v!);
        }).Distinct()];

    public static IReadOnlyList<byte[]> ZipEntries(byte[] zip)
    {
        using var archive = new ZipArchive(new MemoryStream(zip), ZipArchiveMode.Read);
        return [.. archive.Entries.Where(e => e.Length > 0).Select(e =>
        {
            using var s = e.Open();
            using var b = new MemoryStream();
            s.CopyTo(b);
            return b.ToArray();
        })];
    }

    /// <summary>Fails naming the file and the value when any audit file holds any of the values.</summary>
    public static void AssertHoldsNone(string dataPath, IEnumerable<string> values)
    {
        var files = Directory.EnumerateFiles(Folder(dataPath), "*.jsonl").ToList();
        Assert.NotEmpty(files);
        foreach (var file in files)
        {
            var text = File.ReadAllText(file);
            foreach (var value in values) Assert.False(text.Contains(value, StringComparison.Ordinal), $"{Path.GetFileName(file)} holds '{value}'");
        }
    }
}
