using InnerEye.Imaging.Phantoms;
using InnerEye.Imaging.Tests.Support;

namespace InnerEye.Gateway.Api.Tests.Support;

/// <summary>Phantom CT series zipped in the InnerEye gateway's layout (<c>ct/0</c>, <c>ct/1</c>, …).</summary>
public static class Phantoms
{
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(int, int, int), byte[]> Cache = new();

    public static byte[] Zip(int seed = 1, int size = 64, int slices = 4) => Cache.GetOrAdd((seed, size, slices), key =>
    {
        using var dir = new TempDirectory();
        var phantom = ThoraxPhantom.Generate(new ThoraxPhantomOptions { Seed = key.Item1, Rows = key.Item2, Columns = key.Item2,
            Slices = key.Item3 });
        var output = PhantomWriter.Write(phantom, dir.NewPath("phantom"), writeFolder: false, writeZip: true);
        return File.ReadAllBytes(output.Zip!);
    });

    public static string RepositoryModels => Path.Combine(ExternalProcess.RepositoryRoot, "models");
}
