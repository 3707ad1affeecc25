namespace InnerEye.Inference.Nnunet.Import;

/// <summary>The names and batch axis of the folds' ONNX networks, checked against the plans and the dataset.</summary>
internal sealed record NnUnetOnnxCheck(string Input, string Output, bool DynamicBatch)
{
    /// <summary>
    /// Each network must take one float32 input [N, C, Z, Y, X] and return one output [N, K, Z, Y, X]: C = the dataset's
    /// channels, K = the label manager's outputs, fixed spatial axes = the patch size, N symbolic or 1; all folds alike.
    /// </summary>
    /// <exception cref="NnUnetImportException">OnnxSignatureInvalid, OnnxShapeMismatch, ModelFileCorrupt.</exception>
    public static NnUnetOnnxCheck Check(IReadOnlyList<NnUnetFold> folds, NnUnetConfiguration configuration, NnUnetDataset dataset)
    {
        NnUnetOnnxCheck? first = null;
        foreach (var fold in folds)
        {
            var check = Check(OnnxSignature.Read(fold.OnnxPath), configuration, dataset);
            if (first is not null && (check.Input != first.Input || check.Output != first.Output))
            {
                throw new NnUnetImportException("OnnxSignatureInvalid", fold.OnnxPath, "inputs",
                    $"'{check.Input}' → '{check.Output}' differ from fold {folds[0].Number}'s '{first.Input}' → '{first.Output}'; every fold " +
                    "must name them alike");
            }

            first = first is null ? check : first with { DynamicBatch = first.DynamicBatch && check.DynamicBatch };
        }
        return first!;
    }

    private static NnUnetOnnxCheck Check(OnnxSignature onnx, NnUnetConfiguration configuration, NnUnetDataset dataset)
    {
        var path = onnx.Path;
        if (onnx.Inputs.Count != 1)
        {
            throw new NnUnetImportException("OnnxSignatureInvalid", path, "inputs",
                $"are {Names(onnx.Inputs)}; an nnU-Net network takes exactly one input");
        }

        if (onnx.Outputs.Count != 1)
        {
            throw new NnUnetImportException("OnnxSignatureInvalid", path, "outputs",
                $"are {Names(onnx.Outputs)}; an nnU-Net network returns exactly one output (export without deep supervision)");
        }

        var input = onnx.Inputs[0];
        var output = onnx.Outputs[0];
        foreach (var tensor in new[] { input, output }.Where(t => t.ElementType != typeof(float)))
            throw new NnUnetImportException("OnnxSignatureInvalid", path, $"'{tensor.Name}'",
                $"is a {tensor.ElementType.Name} tensor; float32 is needed");
        var patchField = configuration.Fields.Field("patch_size");
        var patch = configuration.PatchSize;
        foreach (var tensor in new[] { input, output }.Where(t => t.Dimensions.Length != 5))
        {
            throw new NnUnetImportException("OnnxShapeMismatch", path, "patch_size",
                $"({patchField}) has 3 axes, so the network must take and return [N, C, Z, Y, X]; '{tensor.Name}' is {Shape(tensor)}");
        }

        var batch = input.Dimensions[0];
        if (batch > 1 || (output.Dimensions[0] > 0 && output.Dimensions[0] != Math.Max(batch, 1)))
        {
            throw new NnUnetImportException("OnnxShapeMismatch", path, "batch axis",
                $"of '{input.Name}' {Shape(input)} → '{output.Name}' {Shape(output)} must be 1 or symbolic (export with " +
                "--dynamic-batch for batches)");
        }

        var channels = dataset.ChannelNames.Count;
        if (input.Dimensions[1] > 0 && input.Dimensions[1] != channels)
        {
            throw new NnUnetImportException("OnnxShapeMismatch", path, "channel_names",
                $"({dataset.Path}) lists {channels} channels ({string.Join(", ", dataset.ChannelNames)}), but the network's input '{input.Name}' " +
                $"{Shape(input)} takes {input.Dimensions[1]}");
        }

        var labels = dataset.Labels;
        if (output.Dimensions[1] > 0 && output.Dimensions[1] != labels.OutputChannels)
        {
            throw new NnUnetImportException("OnnxShapeMismatch", path, "labels",
                $"({dataset.Path}) give {labels.OutputChannels} output channels " +
                (labels.RegionBased ? $"({labels.Names.Count} regions)" : $"(background and {labels.Names.Count} labels)") +
                $", but the network's output '{output.Name}' {Shape(output)} has {output.Dimensions[1]}");
        }

        foreach (var tensor in new[] { input, output })
        {
            for (var a = 0; a < 3; a++)
            {
                if (tensor.Dimensions[a + 2] > 0 && tensor.Dimensions[a + 2] != patch[a])
                {
                    throw new NnUnetImportException("OnnxShapeMismatch", path, "patch_size",
                        $"({patchField} in {configuration.Fields.File.Path}) is [{string.Join(", ", patch)}], but the network's " +
                        $"'{tensor.Name}' is {Shape(tensor)}");
                }
            }
        }
        return new NnUnetOnnxCheck(input.Name, output.Name, batch < 0);
    }

    private static string Names(IReadOnlyList<OnnxTensorSignature> tensors) =>
        tensors.Count == 0 ? "none" : string.Join(", ", tensors.Select(t => $"'{t.Name}'"));

    private static string Shape(OnnxTensorSignature tensor) => $"[{string.Join(", ", tensor.Dimensions.Select(d => d < 0 ? "?" : d.ToString()))}]";
}
