using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using InnerEye.Cli.Audit;

namespace InnerEye.Cli;

/// <summary>
/// <c>innereye audit PATH [--since TIME] [--until TIME] [--client NAME] [--action A] [--json]</c>: the service's audit trail,
/// filtered, one aligned line per record or (<c>--json</c>) the records' own JSON lines.
/// </summary>
public static class AuditCommand
{
    private static readonly string[] Columns = ["TIME", "CLIENT", "ACTION", "STATUS", "OUTCOME", "MODEL", "SEGMENTATION", "BYTES", "ROUTE"];

    public static Command Create()
    {
        var path = new Argument<string>("PATH") { Description = "An audit file (.jsonl) or a folder of them (every *.jsonl, merged in time order)." };
        var since = Bound("--since", $"Only records at or after TIME: {TimeBound.Forms}.");
        var until = Bound("--until", "Only records before TIME (same forms).");
        var client = new Option<string[]>("--client")
        {
            HelpName = "NAME",
            Description = "Only this client's records (repeat for several).",
            Arity = ArgumentArity.OneOrMore,
        };
        var action = new Option<string[]>("--action")
        {
            HelpName = "A",
            Description = $"Only records of this action (repeat for several): {string.Join(", ", AuditRecord.Actions)}.",
            Arity = ArgumentArity.OneOrMore,
        };
        action.AcceptOnlyFromAmong(AuditRecord.Actions);
        var json = new Option<bool>("--json") { Description = "Print the records as they are written, one JSON object per line." };
        var command = new Command("audit",
            "Print the service's audit trail, filtered: one aligned line per record (time, client, action, HTTP status, outcome, model, "
            + "segmentation, bytes, route). A malformed line is reported (file:line) on stderr and skipped; exit 2 when PATH does not exist.")
        {
            path, since, until, client, action, json,
        };
        command.SetAction((r, _) => RunAsync(r.GetRequiredValue(path), new Filter(r.GetValue(since), r.GetValue(until),
            r.GetValue(client) ?? [], r.GetValue(action) ?? []), r.GetValue(json), r.Out(), r.Error()));
        return command;
    }

    private sealed record Filter(DateTimeOffset? Since, DateTimeOffset? Until, string[] Clients, string[] Actions)
    {
        public bool Keeps(AuditRecord r) => (Since is null || r.Time >= Since) && (Until is null || r.Time < Until)
            && (Clients.Length == 0 || Clients.Contains(r.Client, StringComparer.Ordinal))
            && (Actions.Length == 0 || Actions.Contains(r.Action, StringComparer.Ordinal));
    }

    private static Option<DateTimeOffset?> Bound(string name, string description) => new(name)
    {
        HelpName = "TIME",
        Description = description,
        CustomParser = r => r.Tokens.Count == 0 ? null : Time(r, name),
    };

    private static DateTimeOffset? Time(ArgumentResult r, string name)
    {
        var text = r.Tokens[^1].Value;
        var at = TimeBound.Parse(text, DateTimeOffset.UtcNow);
        if (at is null) r.AddError($"{name} '{text}' is not a time: give {TimeBound.Forms}.");
        return at;
    }

    private static async Task<int> RunAsync(string path, Filter filter, bool json, TextWriter stdout, TextWriter stderr)
    {
        if (!File.Exists(path) && !Directory.Exists(path))
        {
            await stderr.WriteLineAsync($"error: {path} does not exist.");
            return ExitCodes.InputProblem;
        }
        IReadOnlyList<AuditRecord> records;
        IReadOnlyList<AuditLineProblem> problems;
        try
        {
            (records, problems) = AuditTrail.Read(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            await stderr.WriteLineAsync($"error: cannot read {path}: {e.Message}");
            return ExitCodes.InputProblem;
        }
        foreach (var problem in problems) await stderr.WriteLineAsync($"warning: {problem} (skipped)");
        var kept = records.Where(filter.Keeps).ToList();
        if (json)
        {
            foreach (var r in kept) await stdout.WriteLineAsync(r.Line);
        }
        else if (kept.Count > 0)
        {
            // The column names only widen the columns: the output is one line per record.
            await stdout.WriteAsync(TextTable.Format(Columns, [.. kept.Select(Row)]).Split('\n', 2)[1]);
        }
        return ExitCodes.Ok;
    }

    private static string[] Row(AuditRecord r) =>
    [
        r.Time.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
        r.Client ?? "-",
        r.Action ?? "-",
        r.Status?.ToString(CultureInfo.InvariantCulture) ?? "-",
        r.Outcome ?? "-",
        r.ModelId is null ? "-" : r.ModelVersion is null ? r.ModelId : $"{r.ModelId}:{r.ModelVersion}",
        r.SegmentationId ?? "-",
        r.Bytes?.ToString(CultureInfo.InvariantCulture) ?? "-",
        r.Route ?? "-",
    ];
}
