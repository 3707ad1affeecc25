namespace InnerEye.Imaging.Tests.Support;

public sealed class TempDirectory : IDisposable
{
    private int _counter;

    public TempDirectory() => Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "innereye-tests", Guid.NewGuid().ToString("N"));

    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    /// <summary>A fresh path inside the directory, numbered so that repeated names never collide.</summary>
    public string NewPath(string name) => System.IO.Path.Combine(Path, $"{Interlocked.Increment(ref _counter)}-{name}");

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
