using InnerEye.Imaging.Phantoms;
using InnerEye.Imaging.Series;
using InnerEye.Imaging.Tests.Support;

namespace InnerEye.Inference.Tests.ShippedModels;

/// <summary>The models shipped in the repository's models/ folder, run through the real pipeline on phantoms.</summary>
public static class ShippedModel
{
    public static string Folder => Path.Combine(ExternalProcess.RepositoryRoot, "models");

    private static readonly ModelSessionCache Sessions = new(new InferenceOptions { Device = InferenceDevice.Cpu });

    public static ModelConfig Load(string id) => ModelConfigLoader.Load(Path.Combine(Folder, id + ".json"), Sessions);

    public static SegmentationPipeline Pipeline { get; } = new(Sessions);

    /// <summary>A phantom written as DICOM and loaded back; <c>CtFolder</c> holds its slices.</summary>
    public static (ThoraxPhantom Phantom, LoadedSeries Series, string CtFolder) Phantom(TempDirectory dir, ThoraxPhantomOptions options)
    {
        var phantom = ThoraxPhantom.Generate(options);
        var folder = dir.NewPath($"phantom-{options.Seed}");
        PhantomWriter.Write(phantom, folder);
        var ct = Path.Combine(folder, "ct");
        var series = Assert.Single(VolumeLoader.Load(ct).ThrowIfInvalid().Channels);
        return (phantom, series, ct);
    }
}
