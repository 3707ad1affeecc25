namespace InnerEye.Gateway.Api.Tests.Adversarial;

/// <summary>
/// Files in the service's storage folder that no live job owns: temporary files (<c>.partial</c>) anywhere, an upload
/// (<c>artifacts/inputs/&lt;id&gt;.zip</c>) of a job that ended or of no job, a result (<c>artifacts/results/&lt;id&gt;…</c>)
/// of a job that did not complete, and anything else under <c>artifacts/</c>.
/// </summary>
public static class StorageAudit
{
    public const string TempSuffix = ".partial";

    /// <param name="storage">The service's Storage:Path.</param>
    /// <param name="jobs">Every job the service accepted: id → how it ended and the case it ran.</param>
    public static List<string> Leftovers(string storage, IReadOnlyDictionary<string, (UploadEnd End, string Case)> jobs)
    {
        var found = new List<string>();
        var artifacts = Path.Combine(storage, "artifacts");
        foreach (var file in Directory.EnumerateFiles(storage, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var relative = Path.GetRelativePath(storage, file).Replace(Path.DirectorySeparatorChar, '/');
            var name = Path.GetFileName(file);
            if (name.EndsWith(TempSuffix, StringComparison.Ordinal))
            {
                found.Add($"temporary file {relative} ({new FileInfo(file).Length} bytes)");
                continue;
            }
            if (!file.StartsWith(artifacts + Path.DirectorySeparatorChar, StringComparison.Ordinal)) continue;
            var key = Path.GetRelativePath(artifacts, file).Replace(Path.DirectorySeparatorChar, '/');
            var id = name.Split('.')[0];
            var owner = jobs.TryGetValue(id, out var job) ? $"a job that ended {job.End} ({job.Case})" : "no job the service accepted";
            if (key.StartsWith("inputs/", StringComparison.Ordinal))
            {
                if (!jobs.TryGetValue(id, out job) || job.End is not UploadEnd.Hung) found.Add($"upload {key} of {owner}");
            }
            else if (key.StartsWith("results/", StringComparison.Ordinal))
            {
                if (!jobs.TryGetValue(id, out job) || job.End is not (UploadEnd.Completed or UploadEnd.Hung)) found.Add($"result {key} of {owner}");
            }
            else
            {
                found.Add($"unexpected artifact {key}");
            }
        }
        return found;
    }
}
