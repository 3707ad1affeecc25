using System.Text.Json.Nodes;
using InnerEye.Inference.Nnunet.Import;

namespace InnerEye.Inference.Tests.Nnunet.Import;

/// <summary>Each way a trained model cannot be imported: its code, and a message that names the file and the field.</summary>
public sealed class NnUnetImportRefusalTests
{
    [SkippableFact]
    public void AnUnknownNormalizationSchemeIsRefused()
    {
        using var copy = new TrainedModelCopy(0);
        copy.EditPlans(p => TrainedModelCopy.Fullres(p)["normalization_schemes"] = new JsonArray("HistogramMatching"));

        var e = Refused(copy, "UnknownNormalizationScheme", copy.PlansPath, "configurations.3d_fullres.normalization_schemes[0]");
        Assert.Contains("HistogramMatching", e.Message);
    }

    [SkippableFact]
    public void ACascadeConfigurationIsRefused()
    {
        using var copy = new TrainedModelCopy(0);
        copy.EditPlans(p =>
        {
            var configurations = p["configurations"]!.AsObject();
            configurations["3d_lowres"] = new JsonObject { ["inherits_from"] = "3d_fullres", ["next_stage"] = "3d_cascade_fullres" };
            configurations["3d_cascade_fullres"] = new JsonObject { ["inherits_from"] = "3d_fullres", ["previous_stage"] = "3d_lowres" };
        });

        var e = Refused(copy, "UnsupportedConfiguration", copy.PlansPath, "configurations.3d_cascade_fullres.previous_stage",
            o => o with { Configuration = "3d_cascade_fullres" });
        Assert.Contains("cascade", e.Message);
        Assert.Contains("segmentation of the low-resolution stage", e.Message);
    }

    [SkippableFact]
    public void ATwoDimensionalConfigurationIsRefused()
    {
        using var copy = new TrainedModelCopy(0);
        copy.EditPlans(p => p["configurations"]!.AsObject()["2d"] = new JsonObject
        {
            ["inherits_from"] = "3d_fullres",
            ["patch_size"] = new JsonArray(256, 256),
            ["spacing"] = new JsonArray(1.59, 1.59),
        });

        var e = Refused(copy, "UnsupportedConfiguration", copy.PlansPath, "configurations.2d.patch_size", o => o with { Configuration = "2d" });
        Assert.Contains("2-D", e.Message);
    }

    [SkippableFact]
    public void AMissingConfigurationIsRefused()
    {
        using var copy = new TrainedModelCopy(0);
        copy.EditPlans(p =>
        {
            var configurations = p["configurations"]!.AsObject();
            var fullres = configurations["3d_fullres"]!;
            configurations.Remove("3d_fullres");
            configurations["3d_other"] = fullres;
        });

        var e = Refused(copy, "ConfigurationMissing", copy.PlansPath, "configurations.3d_fullres");
        Assert.Contains("3d_other", e.Message);
    }

    [SkippableFact]
    public void AConfigurationOtherThanTheCheckpointsIsRefused()
    {
        using var copy = new TrainedModelCopy(0);
        copy.EditPlans(p => p["configurations"]!.AsObject()["3d_lowres"] = new JsonObject { ["inherits_from"] = "3d_fullres" });

        Refused(copy, "ConfigurationMismatch", copy.CheckpointPath(0), "init_args.configuration", o => o with { Configuration = "3d_lowres" });
    }

    [SkippableFact]
    public void AMissingFoldIsRefused()
    {
        using var copy = new TrainedModelCopy(0, 1);

        var e = Refused(copy, "MissingFold", Path.Combine(copy.Folder, "fold_2"), "--folds", o => o with { Folds = [0, 2] });
        Assert.Contains("fold 2", e.Message);
    }

    [SkippableFact]
    public void AFoldWithoutItsOnnxFileIsRefused()
    {
        using var copy = new TrainedModelCopy(0, 1);
        File.Delete(Path.Combine(copy.FoldFolder(1), "model.onnx"));

        var e = Refused(copy, "MissingFold", Path.Combine(copy.FoldFolder(1), "model.onnx"), "--onnx-name");
        Assert.Contains("export_nnunet_onnx.py", e.Message);
    }

    [SkippableFact]
    public void AnOnnxChannelCountOtherThanTheChannelNamesIsRefused()
    {
        using var copy = new TrainedModelCopy(0);
        copy.EditDataset(d => d["channel_names"] = new JsonObject { ["0"] = "CT", ["1"] = "PET" });
        copy.EditPlans(p =>
        {
            TrainedModelCopy.Fullres(p)["normalization_schemes"] = new JsonArray("CTNormalization", "ZScoreNormalization");
            TrainedModelCopy.Fullres(p)["use_mask_for_norm"] = new JsonArray(false, false);
        });

        var e = Refused(copy, "OnnxShapeMismatch", Path.Combine(copy.FoldFolder(0), "model.onnx"), "channel_names");
        Assert.Contains("lists 2 channels", e.Message);
        Assert.Contains(copy.DatasetPath, e.Message);
    }

    [SkippableFact]
    public void AnOnnxPatchOtherThanThePlansPatchSizeIsRefused()
    {
        using var copy = new TrainedModelCopy(0);
        copy.EditPlans(p => TrainedModelCopy.Fullres(p)["patch_size"] = new JsonArray(32, 64, 64));

        var e = Refused(copy, "OnnxShapeMismatch", Path.Combine(copy.FoldFolder(0), "model.onnx"), "patch_size");
        Assert.Contains("configurations.3d_fullres.patch_size", e.Message);
        Assert.Contains("[1, 1, 32, 128, 128]", e.Message);
    }

    [SkippableFact]
    public void AnOnnxClassCountOtherThanTheLabelsIsRefused()
    {
        using var copy = new TrainedModelCopy(0);
        copy.EditDataset(d => d["labels"]!.AsObject().Remove("Esophagus"));

        var e = Refused(copy, "OnnxShapeMismatch", Path.Combine(copy.FoldFolder(0), "model.onnx"), "labels");
        Assert.Contains("give 5 output channels", e.Message);
        Assert.Contains("has 6", e.Message);
    }

    [SkippableFact]
    public void LabelsWithAGapAreRefused()
    {
        using var copy = new TrainedModelCopy(0);
        copy.EditDataset(d => d["labels"]!["Esophagus"] = 7);

        var e = Refused(copy, "LabelsNotConsecutive", copy.DatasetPath, "labels");
        Assert.Contains("0, 1, 2, 3, 4, 7", e.Message);
    }

    [SkippableFact]
    public void RegionsWithoutRegionsClassOrderAreRefused()
    {
        using var copy = new TrainedModelCopy(0);
        copy.EditDataset(d => d["labels"]!["Lungs"] = new JsonArray(2, 3));

        Refused(copy, "RegionsClassOrderMissing", copy.DatasetPath, "regions_class_order");
    }

    [SkippableFact]
    public void PlansThatAreNotJsonAreRefused()
    {
        using var copy = new TrainedModelCopy(0);
        File.WriteAllText(copy.PlansPath, "{ \"configurations\": { \"3d_fullres\": ");

        var e = Refused(copy, "InvalidNnUnetFile", copy.PlansPath, "");
        Assert.Contains("is not valid JSON", e.Message);
    }

    [SkippableFact]
    public void ACheckpointThatIsNotAZipIsRefused()
    {
        using var copy = new TrainedModelCopy(0);
        File.Delete(copy.CheckpointPath(0));
        File.WriteAllText(copy.CheckpointPath(0), "not a torch checkpoint");

        var e = Refused(copy, "CheckpointUnreadable", copy.CheckpointPath(0), "");
        Assert.Contains("not a zip archive", e.Message);
    }

    [SkippableFact]
    public void ACheckpointWhosePickleIsTruncatedIsRefused()
    {
        using var copy = new TrainedModelCopy(0);
        copy.WriteCheckpoint(0, TestPickles.Bytes("truncated.pkl"));

        Refused(copy, "CheckpointUnreadable", copy.CheckpointPath(0), "data.pkl");
    }

    [SkippableFact]
    public void FoldsWhoseMirrorAxesDisagreeAreRefused()
    {
        using var copy = new TrainedModelCopy(0, 1);
        copy.WriteCheckpoint(1, TestPickles.Bytes("axes_012.pkl"));

        var e = Refused(copy, "MirroringAxesDisagree", copy.CheckpointPath(1), NnUnetCheckpoint.MirroringAxesKey);
        Assert.Contains("(0, 1, 2)", e.Message);
        Assert.Contains("(0, 1)", e.Message);
    }

    [SkippableFact]
    public void MirroringWithoutACheckpointIsRefused()
    {
        using var copy = new TrainedModelCopy(0);
        File.Delete(copy.CheckpointPath(0));

        Refused(copy, "CheckpointMissing", copy.CheckpointPath(0), NnUnetCheckpoint.MirroringAxesKey);
        Assert.Equal([], copy.Import(o => o with { Mirroring = false }).Model.MirrorAxes);
    }

    [SkippableFact]
    public void AnotherResamplingFunctionIsRefused()
    {
        using var copy = new TrainedModelCopy(0);
        copy.EditPlans(p => TrainedModelCopy.Fullres(p)["resampling_fn_data"] = "resample_torch_fornnunet");

        Refused(copy, "UnsupportedResampling", copy.PlansPath, "configurations.3d_fullres.resampling_fn_data");
    }

    [SkippableFact]
    public void AStructuresFileNamingAnUnknownStructureIsRefused()
    {
        using var copy = new TrainedModelCopy(0);
        var styles = Path.Combine(copy.Folder, "structures.json");
        File.WriteAllText(styles, """{ "Liver": { "color": [1, 2, 3] } }""");

        var e = Refused(copy, "StructuresFileInvalid", styles, "Liver", o => o with { StructuresFile = styles });
        Assert.Contains("SpinalCord, Lung_R, Lung_L, Heart, Esophagus", e.Message);
    }

    [SkippableFact]
    public void AnInheritanceCycleIsRefused()
    {
        using var copy = new TrainedModelCopy(0);
        copy.EditPlans(p =>
        {
            var configurations = p["configurations"]!.AsObject();
            configurations["a"] = new JsonObject { ["inherits_from"] = "b" };
            configurations["b"] = new JsonObject { ["inherits_from"] = "a" };
        });

        var e = Refused(copy, "InvalidNnUnetFile", copy.PlansPath, "configurations.b.inherits_from", o => o with { Configuration = "a" });
        Assert.Contains("a → b → a", e.Message);
    }

    /// <summary>Asserts the refusal's code, file and field, that the message names both, and that nothing was written.</summary>
    private static NnUnetImportException Refused(TrainedModelCopy copy, string code, string file, string field,
        Func<NnUnetImportOptions, NnUnetImportOptions>? change = null)
    {
        var e = Assert.Throws<NnUnetImportException>(() => copy.Import(change));
        Assert.Equal(code, e.Code);
        Assert.Equal(file, e.File);
        Assert.Equal(field, e.Field);
        Assert.Contains(file, e.Message);
        Assert.Contains(field, e.Message);
        Assert.False(Directory.Exists(copy.Output) && Directory.EnumerateFileSystemEntries(copy.Output).Any(), "the refused import wrote output");
        return e;
    }
}
