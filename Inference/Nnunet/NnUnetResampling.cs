namespace InnerEye.Inference;

// Placeholder until the resampling port lands.
public static class NnUnetResampling
{
    public static int[] NewShape(int[] shape, double[] spacing, double[] targetSpacing) =>
        [.. Enumerable.Range(0, 3).Select(i => (int)Math.Round(spacing[i] / targetSpacing[i] * shape[i], MidpointRounding.ToEven))];
    public static float[] Resample(float[] data, int[] shape, int[] newShape, double[] currentSpacing, double[] newSpacing, int order, int orderZ, bool? forceSeparateZ, double anisotropyThreshold = 3) => throw new NotImplementedException();
    public static Half[] Resample(Half[] data, int[] shape, int[] newShape, double[] currentSpacing, double[] newSpacing, int order, int orderZ, bool? forceSeparateZ, double anisotropyThreshold = 3) => throw new NotImplementedException();
}
