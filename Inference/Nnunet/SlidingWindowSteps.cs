namespace InnerEye.Inference;

/// <summary>nnU-Net's tile positions (<c>compute_steps_for_sliding_window</c>).</summary>
public static class SlidingWindowSteps
{
    /// <summary>
    /// Patch starts along one axis of <paramref name="size"/> ≥ <paramref name="patch"/> voxels: n = ⌈(size − patch) /
    /// (patch · stepFraction)⌉ + 1 tiles spread evenly, starts rounded half to even as numpy does.
    /// </summary>
    public static int[] Starts(int size, int patch, double stepFraction)
    {
        if (patch <= 0 || size < patch) throw new ArgumentOutOfRangeException(nameof(size), $"size {size} must be at least the patch {patch}.");
        if (!(stepFraction > 0 && stepFraction <= 1)) throw new ArgumentOutOfRangeException(nameof(stepFraction));
        var targetStep = patch * stepFraction;
        var count = (int)Math.Ceiling((size - patch) / targetStep) + 1;
        var step = count > 1 ? (double)(size - patch) / (count - 1) : 99999999999;
        var starts = new int[count];
        for (var i = 0; i < count; i++) starts[i] = (int)Math.Round(step * i, MidpointRounding.ToEven);
        return starts;
    }
}
