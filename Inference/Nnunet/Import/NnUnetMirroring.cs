namespace InnerEye.Inference.Nnunet.Import;

/// <summary>The test-time mirror axes of an imported model and where they came from.</summary>
internal sealed record NnUnetMirroring(int[] Axes, string Source)
{
    /// <summary>
    /// Off with <see cref="NnUnetImportOptions.Mirroring"/> false; the option's axes where given; else the checkpoint's
    /// <c>inference_allowed_mirroring_axes</c>, which every fold's checkpoint must agree on. A checkpoint without the key
    /// (or with None) mirrors nothing: nnU-Net's predictor then sets allowed_mirroring_axes to None.
    /// </summary>
    /// <exception cref="NnUnetImportException">CheckpointMissing, MirroringAxesDisagree.</exception>
    public static NnUnetMirroring Decide(NnUnetImportOptions options, IReadOnlyList<NnUnetFold> folds, List<string> warnings)
    {
        if (!options.Mirroring) return new([], "off (--no-mirroring)");
        if (options.MirrorAxes is { } axes) return new([.. axes], "--mirror-axes");
        var first = folds[0];
        var checkpoint = first.Checkpoint
            ?? throw new NnUnetImportException("CheckpointMissing", Path.Combine(first.Folder, NnUnetFolds.CheckpointNames[0]),
                NnUnetCheckpoint.MirroringAxesKey,
                $"cannot be read: fold {first.Number} has neither {string.Join(" nor ", NnUnetFolds.CheckpointNames)}; " +
                "pass --mirror-axes or --no-mirroring");
        foreach (var other in folds.Skip(1).Where(f => f.Checkpoint is not null))
        {
            var c = other.Checkpoint!;
            if (c.HasMirroringAxes != checkpoint.HasMirroringAxes || !Same(c.MirroringAxes, checkpoint.MirroringAxes))
            {
                throw new NnUnetImportException("MirroringAxesDisagree", c.Path, NnUnetCheckpoint.MirroringAxesKey,
                    $"is {Describe(c)} but fold {first.Number}'s checkpoint has {Describe(checkpoint)}; pass --mirror-axes or " +
                    "--no-mirroring to choose");
            }
        }
        var name = Path.GetFileName(checkpoint.Path);
        if (!checkpoint.HasMirroringAxes)
        {
            warnings.Add($"{checkpoint.Path} has no {NnUnetCheckpoint.MirroringAxesKey}: nnU-Net's predictor then mirrors nothing, and neither " +
                "will this model. If the network was trained with mirroring, pass --mirror-axes (nnU-Net's 3-D default is 0,1,2).");
            return new([], $"none ({name} has no {NnUnetCheckpoint.MirroringAxesKey})");
        }
        return checkpoint.MirroringAxes is { Length: > 0 } fromCheckpoint
            ? new(fromCheckpoint, name)
            : new([], $"none ({name}: {NnUnetCheckpoint.MirroringAxesKey} = {Describe(checkpoint)})");
    }

    private static bool Same(int[]? a, int[]? b) => a is null ? b is null : b is not null && a.SequenceEqual(b);

    private static string Describe(NnUnetCheckpoint c) =>
        !c.HasMirroringAxes ? "missing" : c.MirroringAxes is null ? "None" : $"({string.Join(", ", c.MirroringAxes)})";
}
