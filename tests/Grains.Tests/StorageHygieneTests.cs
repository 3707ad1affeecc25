using InnerEye.Grains.Artifacts;
using InnerEye.Grains.Storage;
using InnerEye.Imaging.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Orleans.Serialization;

namespace InnerEye.Grains.Tests;

/// <summary>What the service stores is its own user's alone, and what a crash leaves behind is swept.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class StorageHygieneTests : IDisposable
{
    private const UnixFileMode UserOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode UserOnlyFolder = UserOnlyFile | UnixFileMode.UserExecute;
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [SkippableFact]
    public async Task UploadsResultsStateAndRemindersAreWrittenForTheirOwnerOnly()
    {
        var store = new FileSystemArtifactStore(_dir.Combine("artifacts"));
        await store.PutAsync("inputs/a.zip", new MemoryStream([1, 2, 3]));
        await store.PutIfAbsentAsync("results/a.dcm", new MemoryStream([4]));
        var serializer = new ServiceCollection().AddSerializer().BuildServiceProvider().GetRequiredService<Serializer>();
        var storage = new FileGrainStorage(_dir.Combine("state", "grains"), serializer);
        await storage.WriteStateAsync("s", GrainId.Create("test", "a"), new GrainState<string> { State = "x" });
        var reminders = new FileReminderTable(_dir.Combine("state", "reminders"));
        await reminders.Init();
        await reminders.UpsertRow(new ReminderEntry
        {
            GrainId = GrainId.Create("test", "a"), ReminderName = "r", StartAt = DateTime.UtcNow, Period = TimeSpan.FromMinutes(1),
        });

        var files = Directory.GetFiles(_dir.Path, "*", SearchOption.AllDirectories);
        Assert.Equal(4, files.Length);
        foreach (var file in files) Assert.Equal(UserOnlyFile, File.GetUnixFileMode(file));
        foreach (var folder in Directory.GetDirectories(_dir.Path, "*", SearchOption.AllDirectories))
            Assert.True(File.GetUnixFileMode(folder) == UserOnlyFolder, $"{folder}: {File.GetUnixFileMode(folder)}");
    }

    [SkippableFact]
    public async Task ConfiguredModesAreUsedAndAnExistingRootIsTightened()
    {
        var root = _dir.Combine("shared");
        Directory.CreateDirectory(root, UserOnlyFolder | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        var options = new StorageOptions { FileMode = "640", FolderMode = "0750" };
        Assert.Empty(options.Validate());
        var store = new FileSystemArtifactStore(root, options.Permissions());
        await store.PutAsync("inputs/a.zip", new MemoryStream([1]));
        Assert.Equal(UserOnlyFile | UnixFileMode.GroupRead, File.GetUnixFileMode(store.PathOf("inputs/a.zip")));
        Assert.Equal(UserOnlyFolder | UnixFileMode.GroupRead | UnixFileMode.GroupExecute, File.GetUnixFileMode(root));
    }

    [SkippableTheory]
    [InlineData("644", "700", "Storage:FileMode")]
    [InlineData("600", "755", "Storage:FolderMode")]
    [InlineData("rw", "700", "Storage:FileMode")]
    [InlineData("400", "700", "Storage:FileMode")]
    [InlineData("600", "1777x", "Storage:FolderMode")]
    public void ModesThatExposeOrBreakTheStorageAreRefusedNamingTheSetting(string file, string folder, string setting)
    {
        var problem = Assert.Single(new StorageOptions { FileMode = file, FolderMode = folder }.Validate());
        Assert.Contains(setting, problem);
    }

    [SkippableFact]
    public void LeftoverTemporaryFilesAreSweptByAgeOrAllAtStartWhenTheStorageIsExclusive()
    {
        var root = _dir.Combine("data");
        var old = Touch(Path.Combine(root, "artifacts", "inputs", ".a.zip.1.partial"), TimeSpan.FromHours(2));
        var fresh = Touch(Path.Combine(root, "state", "grains", ".b.1.partial"), TimeSpan.Zero);
        var kept = Touch(Path.Combine(root, "artifacts", "results", "c.dcm"), TimeSpan.FromHours(2));

        var sweeper = Sweeper(root, new StorageOptions { TempFileMaxAge = TimeSpan.FromHours(1) });
        Assert.Equal(1, sweeper.SweepTempFiles(DateTimeOffset.UtcNow - TimeSpan.FromHours(1)));
        Assert.False(File.Exists(old));
        Assert.True(File.Exists(fresh));
        Assert.Equal(1, sweeper.SweepTempFiles(DateTimeOffset.UtcNow + TimeSpan.FromSeconds(1)));
        Assert.False(File.Exists(fresh));
        Assert.True(File.Exists(kept));
    }

    private static string Touch(string path, TimeSpan age)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, [0]);
        File.SetLastWriteTimeUtc(path, DateTime.UtcNow - age);
        return path;
    }

    private static StorageSweeper Sweeper(string root, StorageOptions options) =>
        new(root, new FileSystemArtifactStore(Path.Combine(root, "artifacts")), null!, Options.Create(options),
            new ServiceCollection().BuildServiceProvider(), TimeProvider.System, NullLogger<StorageSweeper>.Instance);
}
