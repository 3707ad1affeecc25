using System.Text.Json;

namespace InnerEye.Inference.Nnunet.Import;

/// <summary>
/// The fields of one plans configuration that decide how nnU-Net's predictor preprocesses, in the network array's
/// axis order (after transpose_forward): <see cref="PatchSize"/>, <see cref="Spacing"/>, the normalisation of each
/// channel, and the resampling of the image and of the network's output.
/// </summary>
internal sealed record NnUnetConfiguration(
    NnUnetConfigurationFields Fields,
    int[] PatchSize,
    double[] Spacing,
    IReadOnlyList<string> NormalizationSchemes,
    IReadOnlyList<bool> UseMaskForNorm,
    ResamplingConfig ImageResampling,
    ResamplingConfig OutputResampling)
{
    public const string SupportedResampling = "resample_data_or_seg_to_shape";

    public string Name => Fields.Name;

    /// <exception cref="NnUnetImportException">
    /// UnsupportedConfiguration (a cascade stage, a 2-D configuration, another preprocessor), UnsupportedResampling,
    /// InvalidNnUnetFile.
    /// </exception>
    public static NnUnetConfiguration From(NnUnetConfigurationFields fields)
    {
        var file = fields.File;
        if (fields.OptionalText("previous_stage") is { } previous)
        {
            throw new NnUnetImportException("UnsupportedConfiguration", file.Path, fields.Field("previous_stage"),
                $"is '{previous}': '{fields.Name}' is a cascade stage, whose network takes the segmentation of the low-resolution stage " +
                $"'{previous}' (one channel per foreground label) as extra input. Running two stages in sequence is not supported; " +
                "import the low-resolution or the full-resolution configuration on its own instead.");
        }

        if (fields.Name == "3d_cascade_fullres")
        {
            throw new NnUnetImportException("UnsupportedConfiguration", file.Path, $"configurations.{fields.Name}",
                "is nnU-Net's cascade stage, which needs the low-resolution stage's segmentation as extra input; cascades are not supported.");
        }

        var patch = file.Integers(fields.Get("patch_size"), fields.Field("patch_size"));
        if (patch.Length == 2)
        {
            throw new NnUnetImportException("UnsupportedConfiguration", file.Path, fields.Field("patch_size"),
                $"has 2 axes: '{fields.Name}' is a 2-D configuration. nnU-Net runs its 2-D network slice by slice and keeps each case's " +
                "slice spacing; this service runs 3-D networks on [N, C, Z, Y, X] patches. 2-D configurations are not supported; " +
                "import a 3-D configuration (3d_fullres or 3d_lowres).");
        }

        if (patch.Length != 3 || patch.Any(p => p < 1))
            throw file.Invalid(fields.Field("patch_size"), "must be 3 positive integers");
        var spacing = file.Numbers(fields.Get("spacing"), fields.Field("spacing"));
        if (spacing.Length != 3 || spacing.Any(s => !(s > 0)))
            throw file.Invalid(fields.Field("spacing"), "must be 3 positive numbers (mm, in the network array's axis order)");
        var preprocessor = fields.OptionalText("preprocessor_name") ?? "DefaultPreprocessor";
        if (preprocessor != "DefaultPreprocessor")
        {
            throw new NnUnetImportException("UnsupportedConfiguration", file.Path, fields.Field("preprocessor_name"),
                $"is '{preprocessor}'; only nnU-Net's DefaultPreprocessor is reproduced");
        }

        var schemes = file.Array(fields.Get("normalization_schemes"), fields.Field("normalization_schemes"))
            .Select((s, i) => file.Text(s, NnUnetJsonFile.Item(fields.Field("normalization_schemes"), i))).ToList();
        var masks = file.Array(fields.Get("use_mask_for_norm"), fields.Field("use_mask_for_norm"))
            .Select((m, i) => file.Boolean(m, NnUnetJsonFile.Item(fields.Field("use_mask_for_norm"), i))).ToList();
        if (masks.Count != schemes.Count)
            throw file.Invalid(fields.Field("use_mask_for_norm"), $"has {masks.Count} entries but normalization_schemes has {schemes.Count}");
        return new NnUnetConfiguration(fields, patch, spacing, schemes, masks,
            Resampling(fields, "resampling_fn_data"), Resampling(fields, "resampling_fn_probabilities"));
    }

    /// <summary>
    /// <c>resample_data_or_seg_to_shape</c>'s keyword arguments; a missing one takes the function's default (order 3,
    /// order_z 0, force_separate_z False), as <c>functools.partial</c> leaves it.
    /// </summary>
    private static ResamplingConfig Resampling(NnUnetConfigurationFields fields, string function)
    {
        var file = fields.File;
        var name = file.Text(fields.Get(function), fields.Field(function));
        if (name != SupportedResampling)
        {
            throw new NnUnetImportException("UnsupportedResampling", file.Path, fields.Field(function),
                $"is '{name}'; only nnU-Net's {SupportedResampling} is reproduced");
        }

        var key = function + "_kwargs";
        var field = fields.Field(key);
        var kwargs = fields.Has(key) ? fields.Get(key) : default;
        if (kwargs.ValueKind is not (JsonValueKind.Object or JsonValueKind.Undefined)) throw file.Invalid(field, "must be a JSON object");
        JsonElement Argument(string argument) =>
            kwargs.ValueKind == JsonValueKind.Object && kwargs.TryGetProperty(argument, out var v) ? v : default;
        var isSeg = Argument("is_seg");
        if (isSeg.ValueKind != JsonValueKind.Undefined && file.Boolean(isSeg, field + ".is_seg"))
        {
            throw new NnUnetImportException("UnsupportedResampling", file.Path, field + ".is_seg",
                "is true: images and network outputs are resampled as continuous values, never as segmentations");
        }

        var inPlane = Order(file, Argument("order"), field + ".order", 3);
        var outOfPlane = Order(file, Argument("order_z"), field + ".order_z", 0);
        var separate = Argument("force_separate_z");
        bool? separateZ = separate.ValueKind switch
        {
            JsonValueKind.Undefined => false,
            JsonValueKind.Null => null,
            _ => file.Boolean(separate, field + ".force_separate_z"),
        };
        return new ResamplingConfig(inPlane, outOfPlane, separateZ);
    }

    private static ResamplingOrder Order(NnUnetJsonFile file, JsonElement value, string field, int fallback)
    {
        var order = value.ValueKind == JsonValueKind.Undefined ? fallback : file.Integer(value, field);
        return order switch
        {
            0 => ResamplingOrder.Nearest,
            1 => ResamplingOrder.Linear,
            3 => ResamplingOrder.BSpline3,
            _ => throw new NnUnetImportException("UnsupportedResampling", file.Path, field, $"is {order}; the orders reproduced are 0, 1 and 3"),
        };
    }
}
