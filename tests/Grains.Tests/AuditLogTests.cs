using InnerEye.Grains.Audit;
using InnerEye.Grains.Storage;
using InnerEye.Imaging.Tests.Support;

namespace InnerEye.Grains.Tests;

/// <summary>The JSON-lines writer: whole lines under concurrent writers, appends across instances, one file a day and writer.</summary>
public sealed class AuditLogTests
{
    private static AuditRecord Record(DateTimeOffset time, int n) =>
        new(time, $"client-{n % 3}", AuditActions.Status, "GET /x/{id}", 200, "M", "1", $"id{n}", null, n, AuditActions.Ok);

    [Fact]
    public async Task ConcurrentWritesGiveWholeLinesAndANewInstanceAppends()
    {
        using var dir = new TempDirectory();
        var now = DateTimeOffset.UtcNow;
        using (var log = new JsonLinesAuditLog(dir.Path, null, null, StoragePermissions.Default))
            await Task.WhenAll(Enumerable.Range(0, 8).Select(t => Task.Run(() =>
            {
                for (var i = 0; i < 250; i++) log.Write(Record(now, t * 1000 + i));
            })));
        using (var again = new JsonLinesAuditLog(dir.Path, null, null, StoragePermissions.Default)) again.Write(Record(now, 99999));

        var file = Path.Combine(dir.Path, $"{now.UtcDateTime:yyyy-MM-dd}.jsonl");
        var records = File.ReadAllLines(file).Select(AuditRecordJson.Parse).ToList();
        Assert.Equal(2001, records.Count);
        Assert.Equal(2001, records.Select(r => r.SegmentationId).Distinct().Count());
        Assert.Equal("id99999", records[^1].SegmentationId);
        Assert.Equal(Record(now, 7), records.Single(r => r.SegmentationId == "id7") with { Time = now });
        if (!OperatingSystem.IsWindows()) Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
    }

    [Fact]
    public void EachUtcDayAndWriterHasItsOwnFile()
    {
        using var dir = new TempDirectory();
        var day1 = new DateTimeOffset(2026, 3, 1, 23, 59, 59, TimeSpan.Zero);
        using var silo = new JsonLinesAuditLog(dir.Path, "cpu-0", null, StoragePermissions.Default);
        silo.Write(Record(day1, 1));
        silo.Write(Record(day1.AddSeconds(2), 2));
        silo.Write(Record(new DateTimeOffset(2026, 3, 2, 1, 0, 0, TimeSpan.FromHours(2)), 3)); // 1 March 23:00 UTC
        Assert.Equal(["2026-03-01.cpu-0.jsonl", "2026-03-02.cpu-0.jsonl"], Directory.EnumerateFiles(dir.Path).Select(Path.GetFileName).Order());
        Assert.Equal(2, File.ReadAllLines(Path.Combine(dir.Path, "2026-03-01.cpu-0.jsonl")).Length);
        Assert.Equal(3, AuditRecordJson.ReadFolder(dir.Path).Count);
    }

    [Fact]
    public void StdoutGetsTheSameLineAsTheFile()
    {
        using var dir = new TempDirectory();
        using var stdout = new StringWriter();
        using var log = new JsonLinesAuditLog(dir.Path, null, stdout, StoragePermissions.Default);
        var record = Record(DateTimeOffset.UtcNow, 5);
        log.Write(record);
        Assert.Equal(File.ReadAllText(Directory.EnumerateFiles(dir.Path, "*.jsonl").Single()), stdout.ToString());
        var echoed = AuditRecordJson.Parse(stdout.ToString().TrimEnd());
        Assert.Equal(record with { Time = echoed.Time }, echoed);
    }
}
