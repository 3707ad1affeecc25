using System.Globalization;
using System.Text.Json;
using InnerEye.Cli;
using InnerEye.Cli.Audit;
using InnerEye.Imaging.Tests.Support;

namespace InnerEye.Imaging.Tests.Cli;

/// <summary><c>innereye audit</c> over a folder of hand-written audit files: merging, filters, malformed lines, exit codes.</summary>
public sealed class AuditCommandTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly DateTimeOffset _now = DateTimeOffset.UtcNow;

    public void Dispose() => _dir.Dispose();

    private string At(TimeSpan ago) => (_now - ago).UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);

    /// <summary>Two files of the trail, their records interleaved in time, one line of each malformed and one blank.</summary>
    private string Trail()
    {
        var folder = _dir.Combine("audit");
        Directory.CreateDirectory(folder);
        File.WriteAllLines(Path.Combine(folder, "audit-1.jsonl"),
        [
            Line(TimeSpan.FromDays(3), """
                "client":"clinic-a","action":"submit","route":"POST /v1/model/start/ThoraxCT","status":202,"modelId":"ThoraxCT",
                "modelVersion":"3","segmentationId":"s1","studyHash":"ab12","bytes":1048576,"outcome":"accepted"
                """),
            Line(TimeSpan.FromHours(5), """
                "client":"clinic-b","action":"status","route":"GET /v1/model/results/s2","status":200,"modelId":null,
                "modelVersion":null,"segmentationId":"s2","studyHash":null,"bytes":null,"outcome":"running"
                """),
            "{\"time\": not json",
            "",
            Line(TimeSpan.FromMinutes(30), """
                "client":"clinic-a","action":"download","route":"GET /v1/model/results/s1","status":200,"segmentationId":"s1",
                "bytes":2048,"outcome":"ok"
                """),
        ]);
        File.WriteAllLines(Path.Combine(folder, "audit-2.jsonl"),
        [
            Line(TimeSpan.FromDays(1), """
                "client":"clinic-b","action":"submit","route":"POST /v1/model/start/PassThroughModel","status":202,
                "modelId":"PassThroughModel","modelVersion":"1729","segmentationId":"s2","bytes":512,"outcome":"accepted"
                """),
            """{"client":"clinic-b","action":"list"}""",
            Line(TimeSpan.FromHours(1), """
                "client":null,"action":"retention-delete","route":null,"status":null,"segmentationId":"s0","outcome":"deleted"
                """),
        ]);
        File.WriteAllText(Path.Combine(folder, "notes.txt"), "not part of the trail");
        return folder;
    }

    /// <summary>An audit line written <paramref name="ago"/> before now: <c>time</c>, then the fields (wrapped here, one line in the file).</summary>
    private string Line(TimeSpan ago, string fields) => "{\"time\":\"" + At(ago) + "\"," + fields.ReplaceLineEndings("") + "}";

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    private static string[] Tokens(string line) => line.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    [Fact]
    public void AFolderIsMergedInTimeOrderOneAlignedLinePerRecord()
    {
        var folder = Trail();
        var (exit, stdout, stderr) = CliRun.Run("audit", folder);

        Assert.Equal(0, exit);
        var lines = Lines(stdout);
        Assert.Equal(5, lines.Length);
        Assert.Equal(["s1", "s2", "s2", "s0", "s1"], lines.Select(l => Tokens(l)[6]));
        Assert.Equal(["clinic-a", "submit", "202", "accepted", "ThoraxCT:3", "s1", "1048576", "POST"], Tokens(lines[0])[1..9]);
        Assert.Equal(["-", "retention-delete", "-", "deleted", "-", "s0", "-", "-"], Tokens(lines[3])[1..]);
        var routeColumns = lines.Where(l => l.Contains("/v1/", StringComparison.Ordinal))
            .Select(l => l.IndexOf(l.Contains("POST", StringComparison.Ordinal) ? "POST" : "GET", StringComparison.Ordinal));
        Assert.Single(routeColumns.Distinct());

        var warnings = Lines(stderr);
        Assert.Equal(2, warnings.Length);
        Assert.StartsWith($"warning: {Path.Combine(folder, "audit-1.jsonl")}:3: not JSON", warnings[0]);
        Assert.StartsWith($"warning: {Path.Combine(folder, "audit-2.jsonl")}:2: no ISO 8601 'time'", warnings[1]);
    }

    [Fact]
    public void FiltersCombine()
    {
        var folder = Trail();

        Assert.Equal(4, Lines(CliRun.Run("audit", folder, "--since", "2d").Stdout).Length);
        Assert.Equal(2, Lines(CliRun.Run("audit", folder, "--since", "2h").Stdout).Length);
        Assert.Equal(2, Lines(CliRun.Run("audit", folder, "--until", "6h").Stdout).Length);
        Assert.Equal(2, Lines(CliRun.Run("audit", folder, "--client", "clinic-a").Stdout).Length);
        Assert.Equal(4, Lines(CliRun.Run("audit", folder, "--client", "clinic-a", "--client", "clinic-b").Stdout).Length);
        var submits = Lines(CliRun.Run("audit", folder, "--action", "submit", "--since", At(TimeSpan.FromDays(2))).Stdout);
        Assert.Contains("PassThroughModel:1729", Assert.Single(submits));
        Assert.Single(Lines(CliRun.Run("audit", folder, "--client", "clinic-b", "--action", "status", "--until", At(TimeSpan.Zero)).Stdout));
        var day = (_now - TimeSpan.FromDays(3)).UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var twoDaysAgo = (_now - TimeSpan.FromDays(2)).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        Assert.Single(Lines(CliRun.Run("audit", folder, "--until", twoDaysAgo).Stdout));
        Assert.Equal(5, Lines(CliRun.Run("audit", folder, "--since", day).Stdout).Length);
    }

    [Fact]
    public void JsonPassesTheRecordsThrough()
    {
        var folder = Trail();
        var (exit, stdout, _) = CliRun.Run("audit", folder, "--json", "--client", "clinic-a");

        Assert.Equal(0, exit);
        var lines = Lines(stdout);
        Assert.Equal(2, lines.Length);
        var first = JsonDocument.Parse(lines[0]).RootElement;
        Assert.Equal("submit", first.GetProperty("action").GetString());
        Assert.Equal("ab12", first.GetProperty("studyHash").GetString());
        Assert.Equal(1048576, first.GetProperty("bytes").GetInt64());
        Assert.Equal(File.ReadLines(Path.Combine(folder, "audit-1.jsonl")).First(), lines[0]);
        Assert.Equal("download", JsonDocument.Parse(lines[1]).RootElement.GetProperty("action").GetString());
    }

    [Fact]
    public void OneFileIsReadAsIs()
    {
        var folder = Trail();
        var (exit, stdout, stderr) = CliRun.Run("audit", Path.Combine(folder, "audit-2.jsonl"));

        Assert.Equal(0, exit);
        Assert.Equal(2, Lines(stdout).Length);
        Assert.Contains("audit-2.jsonl:2", stderr);
    }

    [Theory]
    [InlineData("--since", "yesterday")]
    [InlineData("--until", "2x")]
    [InlineData("--action", "delete")]
    public void BadFiltersExitTwo(string option, string value)
    {
        var (exit, stdout, stderr) = CliRun.Run("audit", Trail(), option, value);

        Assert.Equal(ExitCodes.InputProblem, exit);
        Assert.Equal("", stdout);
        Assert.Contains(value, stderr);
    }

    [Fact]
    public void AMissingPathExitsTwo()
    {
        var (exit, _, stderr) = CliRun.Run("audit", _dir.Combine("no-such-trail"));

        Assert.Equal(ExitCodes.InputProblem, exit);
        Assert.Contains("does not exist", stderr);
    }

    [Fact]
    public void RelativeTimesCountBackFromNow()
    {
        var now = new DateTimeOffset(2026, 12, 2, 12, 0, 0, TimeSpan.Zero);

        Assert.Equal(now.AddHours(-2), TimeBound.Parse("2h", now));
        Assert.Equal(now.AddDays(-7), TimeBound.Parse("7d", now));
        Assert.Equal(now.AddMinutes(-30), TimeBound.Parse("30m", now));
        Assert.Equal(now.AddDays(-14), TimeBound.Parse("2w", now));
        Assert.Equal(new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero), TimeBound.Parse("2026-12-01", now));
        Assert.Equal(new DateTimeOffset(2026, 12, 1, 7, 30, 0, TimeSpan.Zero), TimeBound.Parse("2026-12-01T08:30:00+01:00", now));
        Assert.Null(TimeBound.Parse("2 hours", now));
    }
}
