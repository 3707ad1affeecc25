using InnerEye.Cli;
using InnerEye.Imaging.Nifti;
using InnerEye.Imaging.Seg;
using InnerEye.Imaging.Tests.Support;
using InnerEye.Inference;

namespace InnerEye.Imaging.Tests.Seg;

/// <summary><c>innereye segment … --seg</c>, and the optional structure code of a model configuration.</summary>
[Trait("Category", "Conformance")]
public sealed class SegCommandTests(SegFixture fixture) : IClassFixture<SegFixture>
{
    private static string ModelsFolder => Path.Combine(ExternalProcess.RepositoryRoot, "models");

    [SkippableTheory]
    [InlineData("binary")]
    [InlineData("labelmap")]
    public async Task Segment_WritesTheSegmentationOfThePipelinesLabels(string form)
    {
        ExternalProcess.Require(ExternalProcess.Python, "pydicom");
        var c = fixture.Get("feet-first");
        var stem = Path.Combine(fixture.Folder, $"cli-{form}-{Guid.NewGuid():N}");
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = await CommandLine.RunAsync(["segment", c.CtFolder, "--model", "PassThroughModel", "--models", ModelsFolder, "--device", "cpu",
            "--out", stem + ".rt.dcm", "--seg", stem + ".seg.dcm", "--seg-form", form, "--labels", stem + ".nii.gz"], stdout, stderr);
        Assert.True(exit == 0, stderr.ToString());
        Assert.Contains("SEG", stdout.ToString());
        var labels = NiftiReader.Read(stem + ".nii.gz").Data;
        Assert.Contains(labels, v => v != 0);

        var model = ModelConfigLoader.Read(Path.Combine(ModelsFolder, "PassThroughModel.json"));
        var names = model.Structures.Select(s => s.Name).ToArray();
        var r = SegReadBack.Read(stem + ".seg.dcm", c, names);
        Assert.Empty(r.Strings("problems"));
        Assert.Equal(labels, r.Labels);
        Assert.Equal(form == "binary" ? SegmentationWriter.SegmentationStorage : SegmentationWriter.LabelMapSegmentationStorage, r.S("sop_class"));
        var first = r.Json.GetProperty("segments")[form == "binary" ? 0 : 1];
        Assert.Equal(model.Id, first.GetProperty("algorithm_name").GetString());
        Assert.Equal(model.Version, first.GetProperty("algorithm")[1].GetString());
    }

    [Fact]
    public async Task Segment_RefusesSegFormWithoutSeg()
    {
        var stderr = new StringWriter();
        var exit = await CommandLine.RunAsync(["segment", "x", "--model", "M", "--out", "rt.dcm", "--seg-form", "labelmap"],
            new StringWriter(), stderr);
        Assert.Equal(ExitCodes.InputProblem, exit);
        Assert.Contains("--seg-form needs --seg", stderr.ToString());
        exit = await CommandLine.RunAsync(["segment", "x", "--model", "M", "--out", "rt.dcm", "--seg", "s.dcm", "--seg-form", "fractional"],
            new StringWriter(), stderr);
        Assert.Equal(ExitCodes.InputProblem, exit);
    }

    private static string Config(string structure) => File.ReadAllText(Path.Combine(ModelsFolder, "PassThroughModel.json"))
        .Replace("\"interpretedType\": \"ORGAN\"", "\"interpretedType\": \"ORGAN\", " + structure);

    [Fact]
    public void ModelConfig_ReadsAStructuresCode_AndKeepsModelsWithoutOne()
    {
        var path = Path.Combine(ModelsFolder, "PassThroughModel.json");
        var config = ModelConfigLoader.Parse(Config("""
            "code": { "category": ["123037004", "SCT", "Anatomical Structure"], "type": ["2748008", "SCT", "Spinal cord"], "modifier": null }
            """), path);
        var code = config.Structures[0].Code;
        Assert.Equal(new SegmentCode(new SegCode("123037004", "SCT", "Anatomical Structure"), new SegCode("2748008", "SCT", "Spinal cord")), code);
        Assert.Equal(code, InnerEye.Inference.ResultWriters.SegSegments(config)[0].Code);

        foreach (var file in Directory.GetFiles(ModelsFolder, "*.json"))
            Assert.All(ModelConfigLoader.Parse(File.ReadAllText(file), file).Structures, s => Assert.Null(s.Code));
    }

    [Theory]
    [InlineData("\"code\": 5", "structures[0].code must be an object")]
    [InlineData("\"code\": { \"type\": [\"1\", \"SCT\", \"X\"] }", "structures[0].code.category is required")]
    [InlineData("\"code\": { \"category\": [\"1\", \"SCT\"], \"type\": [\"1\", \"SCT\", \"X\"] }", "structures[0].code.category must be 3 strings")]
    [InlineData("\"code\": { \"category\": [\"1\", \"SCT\", \"X\"], \"type\": [\"1\", \"\", \"X\"] }",
        "structures[0].code.type must have a value and scheme")]
    [InlineData("\"code\": { \"category\": [\"1\", \"SCT\", \"X\"], \"type\": [\"1\", \"SCT\", \"X\"], \"colour\": 1 }",
        "structures[0].code.colour is not a field")]
    public void ModelConfig_RefusesABadCode(string structure, string message)
    {
        var e = Assert.Throws<ModelConfigException>(() => ModelConfigLoader.Parse(Config(structure), "m.json"));
        Assert.Contains(message, e.Message);
    }
}
