using System.Diagnostics;
using System.Reflection;
using Xunit.Abstractions;

namespace InnerEye.Inference.Tests.Nnunet;

/// <summary>
/// Times the two resamplings of an nnU-Net prediction of a 48 × 176 × 176 CT at the fixture model's spacings (hfs_std):
/// the image to 48 × 244 × 244 (order 3, separate z) and six float16 logit channels back (order 1). Figures only.
/// </summary>
public sealed class NnUnetResamplingBenchmark(ITestOutputHelper output)
{
    private static readonly double[] ImageSpacing = [5.0, 2.2, 2.2];
    private static readonly double[] TargetSpacing = [5.0, 1.590000033378601, 1.590000033378601];
    private static readonly int[] ImageShape = [48, 176, 176];
    private static readonly int[] TargetShape = [48, 244, 244];

    [Fact]
    public void ImageForthAndLogitsBack()
    {
        Assert.Equal(TargetShape, NnUnetResampling.NewShape(ImageShape, ImageSpacing, TargetSpacing));
        var random = new Random(7);
        var image = new float[48 * 176 * 176];
        for (var i = 0; i < image.Length; i++) image[i] = (float)(random.NextDouble() * 2 - 1);
        var logits = Enumerable.Range(0, 6).Select(_ =>
        {
            var channel = new Half[48 * 244 * 244];
            for (var i = 0; i < channel.Length; i++) channel[i] = (Half)(random.NextDouble() * 20 - 10);
            return channel;
        }).ToArray();

        NnUnetResampling.Resample(image, ImageShape, TargetShape, ImageSpacing, TargetSpacing, 3, 0, null); // warm-up
        var forth = Time(() => NnUnetResampling.Resample(image, ImageShape, TargetShape, ImageSpacing, TargetSpacing, 3, 0, null));
        var back = Time(() =>
        {
            foreach (var channel in logits)
                NnUnetResampling.Resample(channel, TargetShape, ImageShape, TargetSpacing, ImageSpacing, 1, 0, null);
        });
        var debug = typeof(NnUnetResampling).Assembly.GetCustomAttribute<DebuggableAttribute>()?.IsJITOptimizerDisabled == true;
        output.WriteLine($"{(debug ? "Debug build (JIT optimisation off), " : "")}{Environment.ProcessorCount} cores: " +
            $"image 48x176x176 -> 48x244x244 order 3: {forth:F0} ms (best of 3); " +
            $"6 float16 channels 48x244x244 -> 48x176x176 order 1: {back:F0} ms (best of 3)");
    }

    private static double Time(Action action)
    {
        var best = double.MaxValue;
        for (var i = 0; i < 3; i++)
        {
            var watch = Stopwatch.StartNew();
            action();
            best = Math.Min(best, watch.Elapsed.TotalMilliseconds);
        }
        return best;
    }
}
