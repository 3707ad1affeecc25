using InnerEye.Grains.Artifacts;
using InnerEye.Imaging.Tests.Support;

namespace InnerEye.Grains.Tests;

public sealed class FileSystemArtifactStoreTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [SkippableFact]
    public async Task PutReadReplaceAndDelete()
    {
        var store = new FileSystemArtifactStore(_dir.Path);
        var r = await store.PutAsync("inputs/a.zip", new MemoryStream([1, 2, 3]));
        Assert.Equal("inputs/a.zip", r.Key);
        Assert.True(store.Exists(r));
        Assert.Equal([1, 2, 3], await File.ReadAllBytesAsync(store.LocalPath(r)));
        await store.PutAsync("inputs/a.zip", new MemoryStream([4]));
        await using (var s = store.OpenRead(r)) Assert.Equal(4, s.ReadByte());
        await store.DeleteAsync(r);
        Assert.False(store.Exists(r));
        await store.DeleteAsync(r);
        Assert.Empty(Directory.GetFiles(_dir.Path, "*", SearchOption.AllDirectories));
    }

    [SkippableFact]
    public async Task PutIfAbsentKeepsTheFirstBlob()
    {
        var store = new FileSystemArtifactStore(_dir.Path);
        Assert.True(await store.PutIfAbsentAsync("results/x.dcm", new MemoryStream([1])));
        Assert.False(await store.PutIfAbsentAsync("results/x.dcm", new MemoryStream([2])));
        Assert.Equal([1], await File.ReadAllBytesAsync(store.LocalPath(new ArtifactRef("results/x.dcm"))));
        Assert.Single(Directory.GetFiles(_dir.Path, "*", SearchOption.AllDirectories));
    }

    [SkippableFact]
    public async Task AFailedWriteLeavesTheOldBlobAndNoTemporaryFile()
    {
        var store = new FileSystemArtifactStore(_dir.Path);
        await store.PutAsync("results/x.dcm", new MemoryStream([1, 2]));
        await Assert.ThrowsAsync<IOException>(() => store.PutAsync("results/x.dcm", new FailingStream()));
        Assert.Equal([1, 2], await File.ReadAllBytesAsync(store.LocalPath(new ArtifactRef("results/x.dcm"))));
        Assert.Single(Directory.GetFiles(_dir.Path, "*", SearchOption.AllDirectories));
    }

    [SkippableTheory]
    [InlineData("../x")]
    [InlineData("a/../../x")]
    [InlineData("/etc/passwd")]
    [InlineData("a//b")]
    [InlineData("a/./b")]
    [InlineData("")]
    [InlineData("a\\b")]
    [InlineData(".hidden")]
    public async Task KeysThatLeaveTheStoreAreRefused(string key)
    {
        var store = new FileSystemArtifactStore(_dir.Path);
        await Assert.ThrowsAnyAsync<ArgumentException>(() => store.PutAsync(key, new MemoryStream([1])));
        Assert.ThrowsAny<ArgumentException>(() => store.LocalPath(new ArtifactRef(key)));
    }

    [SkippableFact]
    public async Task ListsBlobsOlderThanACutoff()
    {
        var store = new FileSystemArtifactStore(_dir.Path);
        var old = await store.PutAsync("results/old.dcm", new MemoryStream([1]));
        File.SetLastWriteTimeUtc(store.LocalPath(old), DateTime.UtcNow.AddDays(-8));
        await store.PutAsync("results/new.dcm", new MemoryStream([1]));
        var listed = new List<string>();
        await foreach (var a in store.ListOlderThan(DateTimeOffset.UtcNow.AddDays(-7))) listed.Add(a.Ref.Key);
        Assert.Equal(["results/old.dcm"], listed);
    }

    private sealed class FailingStream : Stream
    {
        private int _reads;
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count)
        {
            if (_reads++ > 0) throw new IOException("The upload was cut off.");
            buffer[offset] = 9;
            return 1;
        }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
