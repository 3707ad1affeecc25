using InnerEye.Cli;
using InnerEye.Imaging.Tests.Support;
using InnerEye.Inference;
using InnerEye.Inference.Tests.Support;

namespace InnerEye.Imaging.Tests.Cli;

/// <summary><c>innereye models import-nnunet</c>: options, exit codes and what it prints (the importing is Inference's).</summary>
public sealed class ModelsCommandTests
{
    private static (int Exit, string Stdout, string Stderr) Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = CommandLine.RunAsync(args, stdout, stderr).GetAwaiter().GetResult();
        return (exit, stdout.ToString(), stderr.ToString());
    }

    [SkippableFact]
    public void TheFixtureImportsAndTheSummarySaysWhat()
    {
        using var output = new TempDirectory();
        var (exit, stdout, stderr) = Run("models", "import-nnunet", NnUnetFixture.ModelFolder, "--id", "Thorax501", "--out", output.Path,
            "--folds", "0,1", "--version", "3");

        Assert.Equal(0, exit);
        Assert.Equal("", stderr);
        Assert.Contains("imported Dataset501_ThoraxPhantom nnUNetTrainer__nnUNetPlans__3d_fullres (folds 0, 1) as Thorax501:3", stdout);
        Assert.Contains("Thorax501.fold_0.onnx, Thorax501.fold_1.onnx", stdout);
        Assert.Contains("ct (CT, ctClipZScore)", stdout);
        Assert.Contains("axes [0, 1] (checkpoint_final.pth)", stdout);
        var model = ModelConfigLoader.Load(output.Combine("Thorax501.json"));
        Assert.Equal(2, model.EnsemblePaths.Count);
        Assert.Equal([0, 1], model.MirrorAxes);
    }

    [SkippableFact]
    public void NoMirroringAndOneFoldAreOptions()
    {
        using var output = new TempDirectory();
        var (exit, stdout, _) = Run("models", "import-nnunet", NnUnetFixture.ModelFolder, "--id", "One", "--out", output.Path,
            "--folds", "0", "--no-mirroring", "--onnx-name", "model_dynbatch.onnx", "--batch-size", "2", "--step", "0.25");

        Assert.Equal(0, exit);
        Assert.Contains("mirroring    none (off (--no-mirroring))", stdout);
        Assert.Contains("dynamic, 2 patches per run", stdout);
        var model = ModelConfigLoader.Read(output.Combine("One.json"));
        Assert.Empty(model.MirrorAxes);
        Assert.Single(model.EnsemblePaths);
        Assert.Equal(0.25, model.SlidingWindow.StepFraction);
    }

    [SkippableFact]
    public void ARefusalExitsTwoWithItsCodeAndWritesNothing()
    {
        using var output = new TempDirectory();
        var (exit, stdout, stderr) = Run("models", "import-nnunet", NnUnetFixture.ModelFolder, "--id", "X", "--out", output.Path,
            "--folds", "0,7");

        Assert.Equal(2, exit);
        Assert.Equal("", stdout);
        Assert.StartsWith("error [MissingFold]: ", stderr);
        Assert.Contains("fold_7", stderr);
        Assert.Empty(Directory.EnumerateFileSystemEntries(output.Path));
    }

    [SkippableTheory]
    [InlineData("models", "import-nnunet")]
    [InlineData("models", "import-nnunet", "FOLDER", "--out", "DIR")]
    [InlineData("models", "import-nnunet", "FOLDER", "--id", "X")]
    [InlineData("models", "import-nnunet", "FOLDER", "--id", "X", "--out", "DIR", "--folds", "one")]
    [InlineData("models", "import-nnunet", "FOLDER", "--id", "X", "--out", "DIR", "--mirror-axes", "0,x")]
    [InlineData("models", "import-nnunet", "FOLDER", "--id", "X", "--out", "DIR", "--step", "half")]
    [InlineData("models", "import-nnunet", "FOLDER", "--id", "X", "--out", "DIR", "--colour", "red")]
    [InlineData("models", "import-nnunet", "FOLDER", "--id", "X", "--out", "DIR", "--step", "1.5")]
    [InlineData("models", "import-nnunet", "FOLDER", "--id", "X", "--out", "DIR", "--batch-size", "0")]
    [InlineData("models", "import-nnunet", "FOLDER", "--id", "X/Y", "--out", "DIR")]
    [InlineData("models", "import-nnunet", "FOLDER", "--id", "X", "--out", "DIR", "--no-mirroring", "--mirror-axes", "0")]
    [InlineData("models", "import-nnunet", "FOLDER", "--id", "X", "--out", "DIR", "--mirror-axes", "0,3")]
    public void UsageErrorsExitTwoWithTheUsage(params string[] args)
    {
        var (exit, stdout, stderr) = Run(args);

        Assert.Equal(ExitCodes.InputProblem, exit);
        Assert.Equal("", stdout);
        Assert.Contains("usage: innereye models import-nnunet FOLDER --id ID --out DIR [options]", stderr);
    }

    [SkippableTheory]
    [InlineData("models")]
    [InlineData("models", "export")]
    public void AMissingOrUnknownSubcommandExitsTwoNamingTheSubcommands(params string[] args)
    {
        var (exit, stdout, stderr) = Run(args);

        Assert.Equal(ExitCodes.InputProblem, exit);
        Assert.Equal("", stdout);
        Assert.Contains("usage: innereye models <import-nnunet|list|check>", stderr);
    }

    [SkippableFact]
    public void TheHelpListsTheModelsCommands()
    {
        var (exit, stdout, _) = Run("models", "--help");
        Assert.Equal(0, exit);
        Assert.Contains("import-nnunet <FOLDER>", stdout);
        Assert.Contains("list <DIR>", stdout);
        Assert.Contains("check <DIR>", stdout);

        (exit, stdout, _) = Run("models", "import-nnunet", "--help");
        Assert.Equal(0, exit);
        Assert.Contains("--id <ID> (REQUIRED)", stdout);
        Assert.Contains("--folds <0,1,…|all>", stdout);
        Assert.Contains("--no-mirroring", stdout);
    }
}
