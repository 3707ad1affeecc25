using InnerEye.Grains.Storage;
using InnerEye.Imaging.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Orleans.Storage;

namespace InnerEye.Grains.Tests;

public sealed class LocalDiskStateTests
{
    private static readonly Serializer Serializer = new ServiceCollection().AddSerializer().BuildServiceProvider().GetRequiredService<Serializer>();

    [SkippableFact]
    public async Task GrainStateSurvivesANewStorageAndChecksETags()
    {
        using var dir = new TempDirectory();
        var grain = GrainId.Create("segmentation", "job/with:odd chars");
        var first = new FileGrainStorage(dir.Path, Serializer);
        var written = new GrainState<StageTime> { State = new StageTime("queued", DateTimeOffset.UnixEpoch) };
        await first.WriteStateAsync("segmentation", grain, written);
        Assert.True(written.RecordExists);
        Assert.NotNull(written.ETag);

        var second = new FileGrainStorage(dir.Path, Serializer);
        var read = new GrainState<StageTime>();
        await second.ReadStateAsync("segmentation", grain, read);
        Assert.Equal(written.State, read.State);
        Assert.Equal(written.ETag, read.ETag);
        Assert.True(read.RecordExists);

        var stale = new GrainState<StageTime> { State = new StageTime("running", DateTimeOffset.UnixEpoch), ETag = "stale" };
        await Assert.ThrowsAsync<InconsistentStateException>(() => second.WriteStateAsync("segmentation", grain, stale));
        read.State = new StageTime("completed", DateTimeOffset.UnixEpoch);
        await second.WriteStateAsync("segmentation", grain, read);
        await Assert.ThrowsAsync<InconsistentStateException>(() => first.WriteStateAsync("segmentation", grain, written));

        await second.ClearStateAsync("segmentation", grain, read);
        Assert.False(read.RecordExists);
        var none = new GrainState<StageTime>();
        await first.ReadStateAsync("segmentation", grain, none);
        Assert.False(none.RecordExists);
        Assert.Empty(Directory.EnumerateFiles(dir.Path, "*.partial", SearchOption.AllDirectories));
    }

    [SkippableFact]
    public async Task ACorruptStateFileIsAnErrorNotAnEmptyState()
    {
        using var dir = new TempDirectory();
        var storage = new FileGrainStorage(dir.Path, Serializer);
        var grain = GrainId.Create("segmentation", "x");
        var path = storage.PathOf("segmentation", grain);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllTextAsync(path, "not a state");
        await Assert.ThrowsAsync<InvalidDataException>(() => storage.ReadStateAsync("segmentation", grain, new GrainState<StageTime>()));
    }

    [SkippableFact]
    public async Task RemindersSurviveANewTableAndAreReadByGrainAndByHashRange()
    {
        using var dir = new TempDirectory();
        var table = new FileReminderTable(dir.Path);
        await table.Init();
        var grains = Enumerable.Range(0, 40).Select(i => GrainId.Create("segmentation", $"job{i}")).ToList();
        var start = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        foreach (var g in grains)
        {
            var etag = await table.UpsertRow(new ReminderEntry { GrainId = g, ReminderName = "redrive", StartAt = start,
                Period = TimeSpan.FromMinutes(1) });
            Assert.NotNull(etag);
        }
        await table.UpsertRow(new ReminderEntry { GrainId = grains[0], ReminderName = "retention", StartAt = start, Period = TimeSpan.FromDays(7) });

        var reloaded = new FileReminderTable(dir.Path);
        await reloaded.Init();
        var first = await reloaded.ReadRows(grains[0]);
        Assert.Equal(["redrive", "retention"], first.Reminders.Select(r => r.ReminderName).Order());
        var row = await reloaded.ReadRow(grains[1], "redrive");
        Assert.NotNull(row);
        Assert.Equal(start, row!.StartAt);
        Assert.Equal(TimeSpan.FromMinutes(1), row.Period);

        // Two ranges that split the ring, one of them wrapping round, hold every row once.
        const uint split = 0x40000000, other = 0xC0000000;
        var a = await reloaded.ReadRows(split, other);
        var b = await reloaded.ReadRows(other, split);
        Assert.Equal(41, a.Reminders.Count + b.Reminders.Count);
        Assert.All(a.Reminders, r => Assert.True(r.GrainId.GetUniformHashCode() is > split and <= other));
        Assert.Equal(41, (await reloaded.ReadRows(5u, 5u)).Reminders.Count);

        Assert.False(await reloaded.RemoveRow(grains[1], "redrive", "wrong-etag"));
        Assert.True(await reloaded.RemoveRow(grains[1], "redrive", row.ETag!));
        Assert.Null(await new FileReminderTable(dir.Path).ReadRow(grains[1], "redrive"));
    }
}
