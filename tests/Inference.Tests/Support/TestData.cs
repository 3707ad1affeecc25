using InnerEye.Imaging.Series;

namespace InnerEye.Inference.Tests.Support;

/// <summary>
/// The tiny ONNX models in Models/ (written by tests/tools/make_test_models.py) and model configurations for them.
/// </summary>
public static class TestModels
{
    public static string Directory { get; } = Path.Combine(AppContext.BaseDirectory, "Models");

    public static string PathOf(string onnx) => Path.Combine(Directory, onnx);

    /// <summary>HU / 1000 on [−1000, 1000]: the threshold models' class 1 is HU &gt; 0.</summary>
    public static WindowConfig Window { get; } = new(0, 2000, -1, 1);

    public static ModelConfig Config(string onnx = "threshold.onnx", int structures = 1, int[]? patch = null, int[]? overlap = null,
        double[]? spacing = null, IReadOnlyList<InputChannelConfig>? channels = null, PostprocessingConfig? post = null,
        string id = "TestModel", string version = "7") =>
        new(id, version, "Test model", onnx, "input", "posteriors",
            channels ?? [new InputChannelConfig("ct", "CT")],
            new PreprocessingConfig(Window, spacing, patch ?? [0, 0, 0], overlap ?? [0, 0, 0]),
            [.. Enumerable.Range(1, structures).Select(i => new StructureConfig($"Structure{i}", (byte)(40 * i), 0, 255, "ORGAN", false))],
            post ?? PostprocessingConfig.None,
            new RtConfig("Test_Manufacturer", "Test_Interpreter"))
        {
            OnnxPath = PathOf(onnx),
        };
}

public static class Volumes
{
    public static readonly double[] Axial = [1, 0, 0, 0, 1, 0, 0, 0, 1];

    /// <summary>A volume whose voxel (i, j, k) holds f(i, j, k).</summary>
    public static ImageVolume Create(int nx, int ny, int nz, double[] spacing, double[] origin, double[] direction, Func<int, int, int, float> f)
    {
        var slices = new float[nz][];
        for (var k = 0; k < nz; k++)
        {
            slices[k] = new float[nx * ny];
            for (var j = 0; j < ny; j++)
            {
                for (var i = 0; i < nx; i++)
                    slices[k][j * nx + i] = f(i, j, k);
            }
        }
        return new ImageVolume(nx, ny, spacing, origin, direction, slices);
    }

    /// <summary>A volume whose voxels hold f(x, y, z) of their patient coordinates.</summary>
    public static ImageVolume FromWorld(int nx, int ny, int nz, double[] spacing, double[] origin, double[] direction,
        Func<double, double, double, float> f)
    {
        var grid = new GridGeometry(nx, ny, nz, spacing, origin, direction);
        return Create(nx, ny, nz, spacing, origin, direction, (i, j, k) =>
        {
            var (x, y, z) = grid.ToPatient(i, j, k);
            return f(x, y, z);
        });
    }

    /// <summary>A loaded series held in memory, as <see cref="VolumeLoader"/> would return it.</summary>
    public static LoadedSeries Series(ImageVolume volume, string channel = "ct", string modality = "CT")
    {
        var uid = "1.2.826.0.1.3680043.8.498." + Math.Abs(channel.GetHashCode() % 100000);
        var slices = Enumerable.Range(0, volume.SizeZ).Select(k =>
        {
            var (x, y, z) = volume.ToPatient(0, 0, k);
            return new SliceReference("1.2.840.10008.5.1.4.1.1.2", $"{uid}.4.{k + 1}", [x, y, z], $"{channel}/{k}");
        }).ToList();
        return new LoadedSeries(channel, uid + ".2", uid + ".1", uid + ".3", modality, slices, ["1.2.840.10008.1.2"], [], volume);
    }

    public static SeriesLoadResult Upload(params LoadedSeries[] channels) => new(channels, []);
}

/// <summary>Records reports in the order they are made (Progress&lt;T&gt; would post them asynchronously).</summary>
public sealed class RecordingProgress<T> : IProgress<T>
{
    private readonly List<T> _reports = [];

    public IReadOnlyList<T> Reports
    {
        get
        {
            lock (_reports) return [.. _reports];
        }
    }

    public Action<T>? OnReport { get; set; }

    public void Report(T value)
    {
        lock (_reports) _reports.Add(value);
        OnReport?.Invoke(value);
    }
}
