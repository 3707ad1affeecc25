using System.Diagnostics;
using InnerEye.Grains.Artifacts;
using InnerEye.Imaging.Tests.Support;

namespace InnerEye.Grains.Tests.DicomWeb;

/// <summary>The store operations DICOMweb intake relies on: move, hard link, and folders as keys.</summary>
public sealed class ArtifactMoveAndLinkTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly FileSystemArtifactStore _store;

    public ArtifactMoveAndLinkTests() => _store = new FileSystemArtifactStore(_dir.Path);

    public void Dispose() => _dir.Dispose();

    private byte[] Read(string key) => File.ReadAllBytes(_store.LocalPath(new ArtifactRef(key)));

    [Fact]
    public async Task UnflushedBlobsAreWholeAndFlushOneOrManyAtOnce()
    {
        var parts = new List<ArtifactRef>();
        for (var i = 0; i < 5; i++) parts.Add(await _store.PutUnflushedAsync($"dicomweb/incoming/{i}.dcm", new MemoryStream(new byte[1000 + i])));
        Assert.Equal(5, Directory.GetFiles(Path.Combine(_dir.Path, "dicomweb", "incoming")).Length);
        await _store.FlushAsync(parts);
        await _store.FlushAsync(parts[..1]);
        await _store.FlushAsync([]);
        Assert.Equal(1004, Read("dicomweb/incoming/4.dcm").Length);
        await Assert.ThrowsAsync<FileNotFoundException>(() => _store.FlushAsync([new ArtifactRef("dicomweb/incoming/none.dcm")]));
    }

    [Fact]
    public async Task MoveRenamesTheBlobAndReplacesTheTarget()
    {
        var source = await _store.PutAsync("dicomweb/incoming/a.dcm", new MemoryStream([1, 2, 3]));
        await _store.PutAsync("dicomweb/series/s/x.dcm", new MemoryStream([9]));
        var moved = await _store.MoveAsync(source, "dicomweb/series/s/x.dcm");
        Assert.Equal("dicomweb/series/s/x.dcm", moved.Key);
        Assert.False(_store.Exists(source));
        Assert.Equal([1, 2, 3], Read(moved.Key));
        Assert.Single(Directory.GetFiles(_dir.Path, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task MoveCreatesTheTargetsFolder()
    {
        var source = await _store.PutAsync("a.dcm", new MemoryStream([5]));
        var moved = await _store.MoveAsync(source, "new/deep/folder/b.dcm");
        Assert.Equal([5], Read(moved.Key));
    }

    [Fact]
    public async Task MovingAMissingBlobThrows() =>
        await Assert.ThrowsAsync<FileNotFoundException>(() => _store.MoveAsync(new ArtifactRef("none.dcm"), "b.dcm"));

    [Fact]
    public async Task LinkGivesTheSameFileASecondName()
    {
        var source = await _store.PutAsync("dicomweb/series/s/x.dcm", new MemoryStream([1, 2, 3]));
        var link = await _store.LinkAsync(source, "inputs/job/ct/00000.dcm");
        Assert.Equal([1, 2, 3], Read(link.Key));
        if (OperatingSystem.IsLinux()) Assert.Equal(Inode(_store.LocalPath(source)), Inode(_store.LocalPath(link)));

        // One file under two names: a change in place through one shows through the other.
        await using (var write = new FileStream(_store.LocalPath(source), FileMode.Open, FileAccess.Write)) write.WriteByte(7);
        Assert.Equal([7, 2, 3], Read(link.Key));

        await _store.DeleteAsync(source);
        Assert.False(_store.Exists(source));
        Assert.Equal([7, 2, 3], Read(link.Key));
    }

    [Fact]
    public async Task LinkReplacesTheTargetAndLeavesNoTemporaryFile()
    {
        var source = await _store.PutAsync("s/x.dcm", new MemoryStream([1]));
        await _store.PutAsync("t/y.dcm", new MemoryStream([2, 2]));
        await _store.LinkAsync(source, "t/y.dcm");
        Assert.Equal([1], Read("t/y.dcm"));
        Assert.Equal(["x.dcm", "y.dcm"], Directory.GetFiles(_dir.Path, "*", SearchOption.AllDirectories).Select(Path.GetFileName).Order());
    }

    [Fact]
    public async Task LinkingAMissingBlobThrows() =>
        await Assert.ThrowsAsync<FileNotFoundException>(() => _store.LinkAsync(new ArtifactRef("none.dcm"), "b.dcm"));

    [Fact]
    public async Task AFolderKeyExistsAndIsDeletedWithEverythingUnderIt()
    {
        await _store.PutAsync("dicomweb/series/s/a.dcm", new MemoryStream([1]));
        await _store.PutAsync("dicomweb/series/s/sub/b.dcm", new MemoryStream([2]));
        var other = await _store.PutAsync("dicomweb/series/t/c.dcm", new MemoryStream([3]));
        var folder = new ArtifactRef("dicomweb/series/s");
        Assert.True(_store.Exists(folder));

        await _store.DeleteAsync(folder);
        Assert.False(_store.Exists(folder));
        Assert.False(Directory.Exists(_store.LocalPath(folder)));
        Assert.True(_store.Exists(other));
        await _store.DeleteAsync(folder); // nothing there: nothing happens
    }

    private static string Inode(string path)
    {
        using var stat = Process.Start(new ProcessStartInfo("stat", ["-c", "%i", path]) { RedirectStandardOutput = true })!;
        var inode = stat.StandardOutput.ReadToEnd().Trim();
        stat.WaitForExit();
        Assert.Equal(0, stat.ExitCode);
        return inode;
    }
}
