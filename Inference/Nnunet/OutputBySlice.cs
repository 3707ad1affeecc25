using System.Numerics.Tensors;

namespace InnerEye.Inference;

/// <summary>
/// The network's output brought back and decided one source slice at a time, for the usual nnU-Net case: z resampled
/// separately along axis 0 by nearest slice. Each output slice is its nearest network slice resampled in-plane, exactly
/// what resampling the whole volume gives for that slice, so only one slice of every class is held at full resolution
/// (a 512×512×200 CT would otherwise hold every class at full resolution, twice).
/// </summary>
public static class OutputBySlice
{
    public static OutputDecision Decide(float[][] scores, int[] shape, int[] newShape, int inPlaneOrder, bool half, OutputConfig output,
        bool keepProbabilities, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scores);
        ArgumentNullException.ThrowIfNull(output);
        int k = scores.Length, inSlice = shape[1] * shape[2], outSlice = newShape[1] * newShape[2];
        var voxels = newShape[0] * outSlice;
        var labels = new byte[voxels];
        var masks = output.Activation == OutputActivation.Sigmoid ? Enumerable.Range(0, k).Select(_ => new bool[voxels]).ToArray() : null;
        var probabilities = keepProbabilities ? Enumerable.Range(0, k).Select(_ => new float[voxels]).ToArray() : [];
        var nearest = shape[0] == newShape[0] ? null : ZoomPlan.Create(shape[0], newShape[0], 0);
        int[] sliceIn = [1, shape[1], shape[2]], sliceOut = [1, newShape[1], newShape[2]];
        Parallel.For(0, newShape[0], new ParallelOptions { CancellationToken = cancellationToken }, z =>
        {
            var source = nearest is null ? z : nearest.Index[z];
            var slice = new float[k][];
            for (var c = 0; c < k; c++)
            {
                var values = scores[c].AsSpan(source * inSlice, inSlice);
                if (half)
                {
                    var h = new Half[inSlice];
                    TensorPrimitives.ConvertToHalf(values, h);
                    var r = NnUnetResampling.Resample(h, sliceIn, sliceOut, (true, 0), inPlaneOrder, 0);
                    slice[c] = new float[outSlice];
                    TensorPrimitives.ConvertToSingle(r, slice[c]);
                }
                else
                {
                    slice[c] = NnUnetResampling.Resample(values.ToArray(), sliceIn, sliceOut, (true, 0), inPlaneOrder, 0);
                }
            }
            var decided = OutputDecision.Decide(slice, output, outSlice, keepProbabilities);
            decided.Labels.CopyTo(labels, z * outSlice);
            if (masks is not null)
                for (var c = 0; c < k; c++) decided.RegionMasks![c].CopyTo(masks[c], z * outSlice);
            if (keepProbabilities)
                for (var c = 0; c < k; c++) decided.Probabilities[c].CopyTo(probabilities[c], z * outSlice);
        });
        return new OutputDecision(labels, masks, probabilities);
    }
}
