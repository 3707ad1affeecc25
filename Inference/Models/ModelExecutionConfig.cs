namespace InnerEye.Inference;

/// <summary>Which grid the network sees.</summary>
public enum ModelGrid
{
    /// <summary>A grid aligned with the patient axes at the target spacing (or the first channel's own grid).</summary>
    PatientAxes,

    /// <summary>
    /// nnU-Net's convention: the image's own voxel axes as an array [z = slices by increasing position along the
    /// normal, y = rows, x = columns], transposed by <see cref="VoxelGridConfig.TransposeForward"/>, never reoriented.
    /// </summary>
    Voxel,
}

/// <summary>How a channel's values become network input.</summary>
public enum NormalizationScheme
{
    /// <summary>Clamp to a window and map linearly (the channel's or the preprocessing window).</summary>
    Window,

    /// <summary>nnU-Net's CTNormalization: clip to [lower, upper], subtract the mean, divide by the std (float32).</summary>
    CtClipZScore,

    /// <summary>nnU-Net's ZScoreNormalization: the image's own mean and std, optionally over the nonzero mask only.</summary>
    ZScore,

    /// <summary>nnU-Net's RescaleTo01Normalization: subtract the minimum, divide by the new maximum.</summary>
    Rescale01,

    /// <summary>Values as they are (HU for CT).</summary>
    None,
}

/// <summary>
/// A channel's normalisation. <see cref="Mean"/>, <see cref="Std"/>, <see cref="Lower"/> and <see cref="Upper"/> are
/// used by <see cref="NormalizationScheme.CtClipZScore"/>; <see cref="NonzeroMaskOnly"/> by
/// <see cref="NormalizationScheme.ZScore"/> (nnU-Net's <c>use_mask_for_norm</c>); <see cref="Window"/> by
/// <see cref="NormalizationScheme.Window"/>.
/// </summary>
public sealed record NormalizationConfig(NormalizationScheme Scheme)
{
    public double Mean { get; init; }
    public double Std { get; init; } = 1;
    public double Lower { get; init; } = double.NegativeInfinity;
    public double Upper { get; init; } = double.PositiveInfinity;
    public bool NonzeroMaskOnly { get; init; }
    public WindowConfig? Window { get; init; }
}

/// <summary>Interpolation orders of nnU-Net's resampling: 0 nearest, 1 linear, 3 cubic B-spline.</summary>
public enum ResamplingOrder
{
    Nearest = 0,
    Linear = 1,
    BSpline3 = 3,
}

/// <summary>
/// nnU-Net's <c>resample_data_or_seg_to_shape</c> settings: <see cref="InPlane"/> (all axes when z is not separate),
/// <see cref="OutOfPlane"/> along the separate axis, and whether z is separate (null: nnU-Net's anisotropy rule).
/// </summary>
public sealed record ResamplingConfig(ResamplingOrder InPlane, ResamplingOrder OutOfPlane, bool? ForceSeparateZ)
{
    /// <summary>nnU-Net's default for images: cubic in-plane, nearest out of plane.</summary>
    public static ResamplingConfig ImageDefault { get; } = new(ResamplingOrder.BSpline3, ResamplingOrder.Nearest, null);

    /// <summary>nnU-Net's default for probabilities and logits: linear in-plane, nearest out of plane.</summary>
    public static ResamplingConfig OutputDefault { get; } = new(ResamplingOrder.Linear, ResamplingOrder.Nearest, null);
}

/// <summary>
/// The voxel grid's preprocessing (nnU-Net's <c>DefaultPreprocessor</c> and export):
/// <see cref="TransposeForward"/> permutes the [z, y, x] array axes before the network (nnU-Net's transpose_forward),
/// <see cref="CropToNonzero"/> crops to the bounding box of the hole-filled nonzero mask, <see cref="Image"/> and
/// <see cref="Output"/> resample the image to the target spacing and the network's output back,
/// <see cref="AnisotropyThreshold"/> decides when z is resampled separately.
/// </summary>
public sealed record VoxelGridConfig(int[] TransposeForward, bool CropToNonzero, ResamplingConfig Image, ResamplingConfig Output,
    double AnisotropyThreshold)
{
    public static VoxelGridConfig Default { get; } = new([0, 1, 2], true, ResamplingConfig.ImageDefault, ResamplingConfig.OutputDefault, 3);
}

public enum Blending
{
    /// <summary>Separable linear ramps over the overlap (the service's original blending).</summary>
    Linear,

    /// <summary>nnU-Net's <c>compute_gaussian</c>: σ = patch/8, peak 10, as float16, zeros replaced by the smallest value.</summary>
    Gaussian,
}

/// <summary>The precision patch results are accumulated in: nnU-Net accumulates in float16.</summary>
public enum AccumulatorPrecision
{
    Float32,
    Float16,
}

/// <summary>
/// How patches cover the grid: <see cref="StepFraction"/> (nnU-Net's tile_step_size: steps of at most that fraction
/// of the patch, spread evenly) or, when null, the preprocessing's overlap in voxels; <see cref="BatchSize"/> patches
/// (mirrored copies included) per network run where the batch axis is dynamic.
/// </summary>
public sealed record SlidingWindowConfig(double? StepFraction, Blending Blending, int BatchSize, AccumulatorPrecision Accumulator)
{
    public static SlidingWindowConfig Default { get; } = new(null, Blending.Linear, 1, AccumulatorPrecision.Float32);
}

public enum OutputKind
{
    /// <summary>The network returns class probabilities (softmax in the graph).</summary>
    Probabilities,

    /// <summary>The network returns logits; <see cref="OutputConfig.Activation"/> turns them into probabilities.</summary>
    Logits,
}

public enum OutputActivation
{
    /// <summary>One class per voxel: channel 0 background, channel i structure i − 1; argmax.</summary>
    Softmax,

    /// <summary>nnU-Net regions: channel i is structure i, present where its probability exceeds 0.5; regions may overlap.</summary>
    Sigmoid,
}

/// <summary>
/// The network's output. With <see cref="OutputActivation.Sigmoid"/>, <see cref="Regions"/> lists for each output
/// channel the dataset labels it is the union of (nnU-Net's regions) — for the record and the model listing; each
/// channel becomes one structure.
/// </summary>
public sealed record OutputConfig(OutputKind Kind, OutputActivation Activation, IReadOnlyList<int[]> Regions)
{
    public static OutputConfig Default { get; } = new(OutputKind.Probabilities, OutputActivation.Softmax, []);
}
