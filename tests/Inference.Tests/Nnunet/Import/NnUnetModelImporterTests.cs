using System.Text.Json;
using System.Text.Json.Nodes;
using InnerEye.Imaging.Tests.Support;
using InnerEye.Inference.Nnunet.Import;
using InnerEye.Inference.Tests.Support;

namespace InnerEye.Inference.Tests.Nnunet.Import;

/// <summary>Importing the conformance fixture's trained model, and the decisions the importer makes on the way.</summary>
public sealed class NnUnetModelImporterTests
{
    [SkippableTheory]
    [InlineData(new[] { 0, 1 }, true)]
    [InlineData(new[] { 0, 1 }, false)]
    [InlineData(new[] { 0 }, false)]
    public void TheFixtureImportsAsNnUnetsPredictorRunsIt(int[] folds, bool mirroring)
    {
        using var output = new TempDirectory();
        var result = NnUnetModelImporter.Import(new NnUnetImportOptions(NnUnetFixture.ModelFolder, "Thorax501", output.Path)
        {
            Folds = folds,
            Mirroring = mirroring,
        });

        var model = ModelConfigLoader.Load(result.ConfigPath);
        Assert.Equal(Path.Combine(output.Path, "Thorax501.json"), result.ConfigPath);
        Assert.Equal("Thorax501", model.Id);
        Assert.Equal("1", model.Version);
        Assert.Equal($"Dataset501_ThoraxPhantom nnUNetTrainer__nnUNetPlans__3d_fullres ({(folds.Length == 1 ? "fold 0" : "folds 0, 1")})",
            model.DisplayName);
        Assert.Equal("3d_fullres", result.Configuration);
        Assert.Equal(folds, result.Folds);
        Assert.Equal(folds.Select(f => Path.Combine(output.Path, $"Thorax501.fold_{f}.onnx")), model.EnsemblePaths);
        Assert.All(model.EnsemblePaths, p => Assert.True(File.Exists(p)));
        Assert.Equal(ModelGrid.Voxel, model.Grid);
        Assert.Equal("input", model.OnnxInput);
        Assert.Equal("logits", model.OnnxOutput);
        Assert.False(model.DynamicBatch);

        var channel = Assert.Single(model.InputChannels);
        Assert.Equal(("ct", "CT"), (channel.Id, channel.Modality));
        var n = channel.Normalization!;
        Assert.Equal(NormalizationScheme.CtClipZScore, n.Scheme);
        Assert.Equal((-580.39404296875, 391.4194030761719, -893.0, 78.0), (n.Mean, n.Std, n.Lower, n.Upper));

        Assert.Equal([1.590000033378601, 1.590000033378601, 5.0], model.Preprocessing.TargetSpacing!);
        Assert.Equal([32, 128, 128], model.Preprocessing.PatchSize);
        Assert.Null(model.Preprocessing.Window);
        Assert.Equal([0, 1, 2], model.VoxelGrid.TransposeForward);
        Assert.True(model.VoxelGrid.CropToNonzero);
        Assert.Equal(new ResamplingConfig(ResamplingOrder.BSpline3, ResamplingOrder.Nearest, null), model.VoxelGrid.Image);
        Assert.Equal(new ResamplingConfig(ResamplingOrder.Linear, ResamplingOrder.Nearest, null), model.VoxelGrid.Output);
        Assert.Equal(3, model.VoxelGrid.AnisotropyThreshold);
        Assert.Equal(new SlidingWindowConfig(0.5, Blending.Gaussian, 4, AccumulatorPrecision.Float16), model.SlidingWindow);

        Assert.Equal(mirroring ? [0, 1] : [], model.MirrorAxes);
        Assert.Equal(mirroring ? "checkpoint_final.pth" : "off (--no-mirroring)", result.MirrorAxesSource);
        Assert.Equal(OutputKind.Logits, model.Output.Kind);
        Assert.Equal(OutputActivation.Softmax, model.Output.Activation);
        Assert.Empty(model.Output.Regions);
        Assert.Equal(6, model.OutputChannels);
        Assert.Equal(["SpinalCord", "Lung_R", "Lung_L", "Heart", "Esophagus"], model.Structures.Select(s => s.Name));
        Assert.All(model.Structures, s => Assert.Equal(("ORGAN", false), (s.InterpretedType, s.FillHoles)));
        Assert.Equal(5, model.Structures.Select(s => (s.R, s.G, s.B)).Distinct().Count());
        Assert.Equal(PostprocessingConfig.None, model.Postprocessing);
        Assert.Equal(new RtConfig("InnerEye-Orleans", "nnU-Net"), model.Rt);
        Assert.Empty(result.Warnings);
        Assert.Equal(folds.Length + 1, Directory.GetFileSystemEntries(output.Path).Length);
    }

    [SkippableFact]
    public void TheJsonListsTheFoldsBesideItAndRoundTrips()
    {
        using var output = new TempDirectory();
        var result = NnUnetModelImporter.Import(new NnUnetImportOptions(NnUnetFixture.ModelFolder, "Thorax501", output.Path));

        using var json = JsonDocument.Parse(File.ReadAllText(result.ConfigPath));
        Assert.Equal(["Thorax501.fold_0.onnx", "Thorax501.fold_1.onnx"],
            json.RootElement.GetProperty("ensemble").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal([0, 1], json.RootElement.GetProperty("testTimeAugmentation").GetProperty("mirrorAxes").EnumerateArray()
            .Select(e => e.GetInt32()));
        Assert.Equal(File.ReadAllText(result.ConfigPath), ModelConfigJson.Write(ModelConfigLoader.Read(result.ConfigPath)));
    }

    [SkippableFact]
    public void WithoutOptionsEveryFoldAndTheCheckpointsConfigurationAreTaken()
    {
        using var copy = new TrainedModelCopy(0, 1);
        var result = copy.Import();

        Assert.Equal([0, 1], result.Folds);
        Assert.Equal("3d_fullres", result.Configuration);
        Assert.Equal([0, 1], result.Model.MirrorAxes);
    }

    [SkippableFact]
    public void ADynamicBatchExportIsRunInBatches()
    {
        using var output = new TempDirectory();
        var result = NnUnetModelImporter.Import(new NnUnetImportOptions(NnUnetFixture.ModelFolder, "Thorax501", output.Path)
        {
            OnnxName = "model_dynbatch.onnx",
            BatchSize = 8,
            StepFraction = 0.25,
            Version = "2024.1",
        });

        Assert.True(result.Model.DynamicBatch);
        Assert.Equal(8, result.Model.SlidingWindow.BatchSize);
        Assert.Equal(0.25, result.Model.SlidingWindow.StepFraction);
        Assert.Equal("Thorax501:2024.1", result.Model.FullId);
    }

    [SkippableFact]
    public void MirrorAxesGivenOverrideTheCheckpoints()
    {
        using var copy = new TrainedModelCopy(0);
        var result = copy.Import(o => o with { MirrorAxes = [1] });

        Assert.Equal([1], result.Model.MirrorAxes);
        Assert.Equal("--mirror-axes", result.MirrorAxesSource);
    }

    [SkippableFact]
    public void ACheckpointWithoutMirrorAxesMirrorsNothingAsNnUnetDoesAndSaysSo()
    {
        using var copy = new TrainedModelCopy(0);
        copy.WriteCheckpoint(0, TestPickles.Bytes("no_axes.pkl"));

        var result = copy.Import();

        Assert.Empty(result.Model.MirrorAxes);
        var warning = Assert.Single(result.Warnings);
        Assert.Contains("inference_allowed_mirroring_axes", warning);
        Assert.Contains("--mirror-axes", warning);
    }

    [SkippableFact]
    public void ACheckpointWhoseMirrorAxesAreNoneMirrorsNothing()
    {
        using var copy = new TrainedModelCopy(0);
        copy.WriteCheckpoint(0, TestPickles.Bytes("none_axes.pkl"));

        var result = copy.Import();

        Assert.Empty(result.Model.MirrorAxes);
        Assert.Empty(result.Warnings);
    }

    [SkippableFact]
    public void AStructuresFileGivesColoursAndTypes()
    {
        using var copy = new TrainedModelCopy(0);
        var styles = Path.Combine(copy.Folder, "structures.json");
        File.WriteAllText(styles, """{ "Heart": { "color": [10, 20, 30], "interpretedType": "AVOIDANCE" }, "Lung_L": { "color": [1, 2, 3] } }""");

        var result = copy.Import(o => o with { StructuresFile = styles });

        var heart = result.Model.Structures.Single(s => s.Name == "Heart");
        Assert.Equal(((byte)10, (byte)20, (byte)30, "AVOIDANCE"), (heart.R, heart.G, heart.B, heart.InterpretedType));
        var lung = result.Model.Structures.Single(s => s.Name == "Lung_L");
        Assert.Equal(((byte)1, (byte)2, (byte)3, "ORGAN"), (lung.R, lung.G, lung.B, lung.InterpretedType));
    }

    [SkippableFact]
    public void ATransposedConfigurationsSpacingRoundTripsThroughThePipeline()
    {
        using var copy = new TrainedModelCopy(0);
        copy.EditPlans(plans =>
        {
            plans["transpose_forward"] = new JsonArray(2, 0, 1);
            plans["transpose_backward"] = new JsonArray(1, 2, 0);
            TrainedModelCopy.Fullres(plans)["spacing"] = new JsonArray(5.0, 2.0, 1.5);
        });

        var model = copy.Import().Model;

        // The image's [z, y, x] spacing is the plans' spacing transposed back: [2.0, 1.5, 5.0]; targetSpacing is its [x, y, z].
        Assert.Equal([5.0, 1.5, 2.0], model.Preprocessing.TargetSpacing!);
        Assert.Equal([2, 0, 1], model.VoxelGrid.TransposeForward);
        // What the voxel-grid pipeline makes of it: the plans' spacing, in the network array's order.
        var t = model.Preprocessing.TargetSpacing!;
        Assert.Equal([5.0, 2.0, 1.5], ArrayAxes.Permute(new[] { t[2], t[1], t[0] }, model.VoxelGrid.TransposeForward));
    }

    [SkippableFact]
    public void InheritedConfigurationsTakeTheirParentsFields()
    {
        using var copy = new TrainedModelCopy(0);
        copy.EditPlans(plans =>
        {
            var configurations = plans["configurations"]!.AsObject();
            configurations["3d_fullres_zscore"] = new JsonObject
            {
                ["inherits_from"] = "3d_fullres",
                ["normalization_schemes"] = new JsonArray("ZScoreNormalization"),
                ["use_mask_for_norm"] = new JsonArray(true),
            };
        });
        copy.WriteCheckpoint(0, TestPickles.Bytes("none_axes.pkl"));

        var e = Assert.Throws<NnUnetImportException>(() => copy.Import(o => o with { Configuration = "3d_fullres_zscore" }));
        Assert.Equal("ConfigurationMismatch", e.Code);

        File.Delete(copy.CheckpointPath(0));
        var model = copy.Import(o => o with { Configuration = "3d_fullres_zscore", Mirroring = false }).Model;
        var n = Assert.Single(model.InputChannels).Normalization!;
        Assert.Equal((NormalizationScheme.ZScore, true), (n.Scheme, n.NonzeroMaskOnly));
        Assert.Equal([32, 128, 128], model.Preprocessing.PatchSize);
        Assert.Equal("CT", model.InputChannels[0].Modality);
    }

    [SkippableFact]
    public void RegionLabelsGiveSigmoidRegionsInDatasetOrder()
    {
        using var copy = new TrainedModelCopy(0);
        copy.EditDataset(dataset =>
        {
            dataset["labels"] =
                JsonNodeOf("""{ "background": 0, "Body": [1, 2, 3, 4, 5], "Lungs": [2, 3], "Heart": 4, "Cord": 1, "Esophagus": 5, "Lung_L": [3] }""");
            dataset["regions_class_order"] = JsonNodeOf("[1, 2, 4, 1, 5, 3]");
        });

        var model = copy.Import().Model;

        Assert.Equal(OutputActivation.Sigmoid, model.Output.Activation);
        Assert.Equal(["Body", "Lungs", "Heart", "Cord", "Esophagus", "Lung_L"], model.Structures.Select(s => s.Name));
        Assert.Equal([[1, 2, 3, 4, 5], [2, 3], [4], [1], [5], [3]], model.Output.Regions);
        Assert.Equal(6, model.OutputChannels);
    }

    [SkippableFact]
    public void ModalitiesFollowTheChannelNameAndScheme()
    {
        Assert.Equal("MR", NnUnetChannels.Modality("T2w", "ZScoreNormalization", out var guessed));
        Assert.False(guessed);
        Assert.Equal("MR", NnUnetChannels.Modality("FLAIR", "ZScoreNormalization", out _));
        Assert.Equal("CT", NnUnetChannels.Modality("venous", "CTNormalization", out _));
        Assert.Equal("PT", NnUnetChannels.Modality("PET", "ZScoreNormalization", out _));
        Assert.Equal("US", NnUnetChannels.Modality("us", "ZScoreNormalization", out guessed));
        Assert.True(guessed);
    }

    internal static JsonNode JsonNodeOf(string json) => JsonNode.Parse(json)!;
}
