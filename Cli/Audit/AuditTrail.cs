namespace InnerEye.Cli.Audit;

/// <summary>A malformed line of an audit file, named by file and line number (from 1).</summary>
public sealed record AuditLineProblem(string File, int Line, string Problem)
{
    public override string ToString() => $"{File}:{Line}: {Problem}";
}

/// <summary>
/// The audit trail at a path: one <c>.jsonl</c> file, or every <c>*.jsonl</c> of a folder, merged in time order (records
/// with the same time keep the order of the files' names and of their lines). Malformed lines are skipped and listed.
/// </summary>
public static class AuditTrail
{
    public static (IReadOnlyList<AuditRecord> Records, IReadOnlyList<AuditLineProblem> Problems) Read(string path)
    {
        var files = Directory.Exists(path) ? Directory.GetFiles(path, "*.jsonl").Order(StringComparer.Ordinal).ToArray() : [path];
        var records = new List<AuditRecord>();
        var problems = new List<AuditLineProblem>();
        foreach (var file in files)
        {
            var number = 0;
            foreach (var line in File.ReadLines(file))
            {
                number++;
                if (string.IsNullOrWhiteSpace(line)) continue;
                if (AuditRecord.Parse(line, out var problem) is { } record) records.Add(record);
                else problems.Add(new AuditLineProblem(file, number, problem!));
            }
        }
        return ([.. records.OrderBy(r => r.Time)], problems);
    }
}
