using System.Text.Json.Nodes;
using InnerEye.Imaging.Tests.Support;
using InnerEye.Inference.Tests.Support;

namespace InnerEye.Inference.Tests;

public sealed class ModelConfigTests : IDisposable
{
    private const string Valid = """
        {
          "id": "PassThroughModel", "version": "1729", "displayName": "Pass-through",
          "onnxFile": "PassThroughModel.onnx", "onnxInput": "input", "onnxOutput": "posteriors",
          "inputChannels": [ { "id": "ct", "modality": "CT" } ],
          "preprocessing": {
            "window": { "level": 50, "width": 600, "outputMin": -1, "outputMax": 1 },
            "targetSpacing": null,
            "patchSize": [16, 0, 0],
            "patchOverlap": [0, 0, 0]
          },
          "structures": [ { "name": "SpinalCord", "color": [255, 0, 0], "interpretedType": "ORGAN", "fillHoles": false } ],
          "postprocessing": { "largestComponent": false, "minimumSizeVoxels": 0 },
          "rt": { "manufacturer": "Default_Manufacturer", "interpreter": "Default_Interpreter" }
        }
        """;

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private string Write(string json, string id = "PassThroughModel", string onnx = "threshold.onnx")
    {
        File.Copy(TestModels.PathOf(onnx), _dir.Combine(id + ".onnx"), overwrite: true);
        var path = _dir.Combine(id + ".json");
        File.WriteAllText(path, json);
        return path;
    }

    private static string Mutate(Action<JsonObject> change)
    {
        var node = JsonNode.Parse(Valid)!.AsObject();
        change(node);
        return node.ToJsonString();
    }

    [SkippableFact]
    public void ValidConfigurationLoadsEveryField()
    {
        var path = Write(Valid);
        var model = ModelConfigLoader.Load(path);
        Assert.Equal("PassThroughModel", model.Id);
        Assert.Equal("1729", model.Version);
        Assert.Equal("PassThroughModel:1729", model.FullId);
        Assert.Equal("Pass-through", model.DisplayName);
        Assert.Equal(_dir.Combine("PassThroughModel.onnx"), model.OnnxPath);
        Assert.Equal(("ct", "CT"), (model.InputChannels[0].Id, model.InputChannels[0].Modality));
        Assert.Equal(new WindowConfig(50, 600, -1, 1), model.Preprocessing.Window);
        Assert.Null(model.Preprocessing.TargetSpacing);
        Assert.Equal([16, 0, 0], model.Preprocessing.PatchSize);
        Assert.Equal([0, 0, 0], model.Preprocessing.PatchOverlap);
        Assert.Equal(new StructureConfig("SpinalCord", 255, 0, 0, "ORGAN", false), Assert.Single(model.Structures));
        Assert.Equal(PostprocessingConfig.None, model.Postprocessing);
        Assert.Equal(new RtConfig("Default_Manufacturer", "Default_Interpreter"), model.Rt);
        Assert.Equal(2, model.ClassCount);
    }

    [SkippableFact]
    public void NumericVersionAndTargetSpacingAreRead()
    {
        var model = ModelConfigLoader.Parse(Mutate(o =>
        {
            o["version"] = 3;
            o["preprocessing"]!["targetSpacing"] = new JsonArray(1.5, 1.5, 3);
        }), "models/PassThroughModel.json");
        Assert.Equal("3", model.Version);
        Assert.Equal([1.5, 1.5, 3], model.Preprocessing.TargetSpacing!);
    }

    public static TheoryData<string, string> WrongFields() => new()
    {
        { """{"remove":"id"}""", "id is missing" },
        { """{"set":"id","value":"Other"}""", "id 'Other' must match the file name" },
        { """{"remove":"version"}""", "version is missing" },
        { """{"set":"onnxFile","value":""}""", "onnxFile must be a non-empty string" },
        { """{"set":"onnxInput","value":5}""", "onnxInput must be a non-empty string" },
        { """{"remove":"onnxOutput"}""", "onnxOutput is missing" },
        { """{"set":"inputChannels","value":[]}""", "inputChannels must be a non-empty array" },
        { """{"set":"inputChannels","value":[{"id":"ct"}]}""", "inputChannels[0].modality is missing" },
        { """{"set":"inputChannels","value":[{"id":"ct","modality":"CT"},{"id":"ct","modality":"MR"}]}""",
            "inputChannels[1].id 'ct' is listed twice" },
        { """{"pre":"window","value":{"level":50,"width":0,"outputMin":-1,"outputMax":1}}""", "preprocessing.window.width must be positive" },
        { """{"pre":"window","value":{"level":50,"width":600,"outputMin":1,"outputMax":-1}}""",
            "preprocessing.window.outputMax must be greater than outputMin" },
        { """{"pre":"window","value":{"width":600,"outputMin":-1,"outputMax":1}}""", "preprocessing.window.level must be a number" },
        { """{"pre":"targetSpacing","value":[1,2]}""", "preprocessing.targetSpacing must be null or 3 positive numbers" },
        { """{"pre":"targetSpacing","value":[1,0,2]}""", "preprocessing.targetSpacing must be null or 3 positive numbers" },
        { """{"pre":"patchSize","value":[16,-1,0]}""", "preprocessing.patchSize must have 3 non-negative integers" },
        { """{"pre":"patchSize","value":[16,1.5,0]}""", "preprocessing.patchSize must have 3 non-negative integers" },
        { """{"pre":"patchOverlap","value":[0,0]}""", "preprocessing.patchOverlap must have 3 non-negative integers" },
        { """{"pre":"patchOverlap","value":[16,0,0]}""", "preprocessing.patchOverlap must be smaller than preprocessing.patchSize" },
        { """{"set":"structures","value":[]}""", "structures must be an array of 1 to 255 structures" },
        { """{"set":"structures","value":[{"color":[1,2,3]}]}""", "structures[0].name is missing" },
        { """{"set":"structures","value":[{"name":"A","color":[255,0]}]}""", "structures[0].color must be 3 integers 0-255" },
        { """{"set":"structures","value":[{"name":"A","color":[256,0,0]}]}""", "structures[0].color must be 3 integers 0-255" },
        { """{"set":"structures","value":[{"name":"A","color":[1,2,3],"fillHoles":"yes"}]}""", "structures[0].fillHoles must be true or false" },
        { """{"set":"postprocessing","value":{"minimumSizeVoxels":-1}}""", "postprocessing.minimumSizeVoxels must be a non-negative integer" },
        { """{"set":"postprocessing","value":{"largestComponent":1}}""", "postprocessing.largestComponent must be true or false" },
        { """{"set":"rt","value":{"manufacturer":7}}""", "rt.manufacturer must be a string" },
    };

    [SkippableTheory]
    [MemberData(nameof(WrongFields))]
    public void EachWrongFieldIsNamedWithTheFile(string change, string expected)
    {
        var c = JsonNode.Parse(change)!.AsObject();
        var json = Mutate(o =>
        {
            if (c["remove"] is { } remove) o.Remove(remove.GetValue<string>());
            if (c["set"] is { } set) o[set.GetValue<string>()] = c["value"]?.DeepClone();
            if (c["pre"] is { } pre) o["preprocessing"]![pre.GetValue<string>()] = c["value"]?.DeepClone();
        });
        var path = Write(json);
        var e = Assert.Throws<ModelConfigException>(() => ModelConfigLoader.Load(path));
        Assert.Contains($"{path}: {expected}", e.Message);
        Assert.Equal(path, e.File);
        Assert.Equal("InvalidModelConfig", e.Code);
        Assert.IsAssignableFrom<ModelLoadException>(e);
    }

    [SkippableFact]
    public void EveryErrorOfAFileIsReportedAtOnce()
    {
        var json = Mutate(o =>
        {
            o.Remove("version");
            o["preprocessing"]!["patchSize"] = new JsonArray(1, 2);
        });
        var e = Assert.Throws<ModelConfigException>(() => ModelConfigLoader.Parse(json, "models/PassThroughModel.json"));
        Assert.Equal(2, e.Errors.Count);
        Assert.Contains("models/PassThroughModel.json: version is missing", e.Errors);
        Assert.Contains("models/PassThroughModel.json: preprocessing.patchSize must have 3 non-negative integers [z, y, x]", e.Errors);
    }

    [SkippableFact]
    public void InvalidJsonNamesTheFile()
    {
        var e = Assert.Throws<ModelConfigException>(() => ModelConfigLoader.Parse("{ \"id\": ", "models/Broken.json"));
        Assert.StartsWith("models/Broken.json: not valid JSON", e.Message);
    }

    [SkippableFact]
    public void MissingOnnxFileIsAModelLoadExceptionNamingIt()
    {
        var path = _dir.Combine("PassThroughModel.json");
        File.WriteAllText(path, Valid);
        var e = Assert.Throws<ModelLoadException>(() => ModelConfigLoader.Load(path));
        Assert.Equal("ModelFileMissing", e.Code);
        Assert.Equal(_dir.Combine("PassThroughModel.onnx"), e.File);
        Assert.Contains("PassThroughModel.onnx", e.Message);
        Assert.Contains(path, e.Message);
    }

    [SkippableFact]
    public void CorruptOnnxFileIsAModelLoadExceptionAtLoad()
    {
        var path = Write(Valid);
        var onnx = _dir.Combine("PassThroughModel.onnx");
        var random = new Random(1234);
        var bytes = new byte[4096];
        random.NextBytes(bytes);
        File.WriteAllBytes(onnx, bytes);
        var e = Assert.Throws<ModelLoadException>(() => ModelConfigLoader.Load(path));
        Assert.Equal("ModelFileCorrupt", e.Code);
        Assert.Equal(onnx, e.File);
        Assert.Contains(onnx, e.Message);
    }

    [SkippableFact]
    public void InputNameNotInTheNetworkIsRefused()
    {
        var path = Write(Mutate(o => o["onnxInput"] = "image"));
        var e = Assert.Throws<ModelLoadException>(() => ModelConfigLoader.Load(path));
        Assert.Equal("ModelSignatureMismatch", e.Code);
        Assert.Contains("onnxInput 'image' is not an input of the network; its inputs are input", e.Message);
    }

    [SkippableFact]
    public void StructureCountMustMatchTheNetworksClasses()
    {
        var path = Write(Mutate(o => o["structures"]!.AsArray().Add(JsonNode.Parse("""{"name":"Lung","color":[0,255,0]}"""))));
        var e = Assert.Throws<ModelLoadException>(() => ModelConfigLoader.Load(path));
        Assert.Contains("returns 2 classes but structures lists 2 (plus background = 3)", e.Message);
    }

    [SkippableFact]
    public void ChannelCountMustMatchTheNetworksInput()
    {
        var path = Write(Mutate(o => o["inputChannels"]!.AsArray().Add(JsonNode.Parse("""{"id":"mr","modality":"MR"}"""))));
        var e = Assert.Throws<ModelLoadException>(() => ModelConfigLoader.Load(path));
        Assert.Contains("takes 1 input channels but inputChannels lists 2", e.Message);
    }

    [SkippableFact]
    public void PatchSizeMustMatchAFixedInputShape()
    {
        var path = Write(Valid, onnx: "fixed_shape.onnx");
        var e = Assert.Throws<ModelLoadException>(() => ModelConfigLoader.Load(path));
        Assert.Contains("preprocessing.patchSize z is 16 but the network's input is fixed at 8", e.Message);

        path = Write(Mutate(o => o["preprocessing"]!["patchSize"] = new JsonArray(8, 8, 8)), onnx: "fixed_shape.onnx");
        Assert.Equal([8, 8, 8], ModelConfigLoader.Load(path).Preprocessing.PatchSize);
    }

    [SkippableFact]
    public void CatalogFindsModelsByIdAndByIdAndVersion()
    {
        Write(Valid);
        Write(Mutate(o =>
        {
            o["id"] = "ThreeClass";
            o["version"] = "2";
            o["onnxFile"] = "ThreeClass.onnx";
            o["structures"]!.AsArray().Add(JsonNode.Parse("""{"name":"Lung","color":[0,255,0]}"""));
        }), "ThreeClass", "three_class.onnx");
        using var sessions = new ModelSessionCache(new InferenceOptions { Device = InferenceDevice.Cpu });
        var catalog = ModelCatalog.Load(_dir.Path, sessions);

        Assert.Equal(["PassThroughModel", "ThreeClass"], catalog.Models.Select(m => m.Id));
        Assert.Equal(2, sessions.Count);
        Assert.Equal("1729", catalog.Find("PassThroughModel").Version);
        Assert.Same(catalog.Find("PassThroughModel"), catalog.Find("PassThroughModel:1729"));
        Assert.Equal(2, catalog.Find("ThreeClass:2").Structures.Count);

        var missing = Assert.Throws<ModelNotFoundException>(() => catalog.Find("Unknown:1"));
        Assert.Equal("ModelNotFound", missing.Code);
        Assert.Contains("'Unknown:1'", missing.Message);
        Assert.Contains("PassThroughModel:1729, ThreeClass:2", missing.Message);

        var version = Assert.Throws<ModelVersionMismatchException>(() => catalog.Find("PassThroughModel:1730"));
        Assert.Equal("ModelVersionMismatch", version.Code);
        Assert.Equal("1729", version.LoadedVersion);
        Assert.Contains("loaded in version 1729, not 1730", version.Message);
        Assert.False(catalog.TryFind("PassThroughModel:1", out _));
    }

    [SkippableFact]
    public void CatalogRefusesToStartWithACorruptModel()
    {
        Write(Valid);
        var path = Write(Mutate(o =>
        {
            o["id"] = "Broken";
            o["onnxFile"] = "Broken.onnx";
        }), "Broken");
        File.WriteAllBytes(_dir.Combine("Broken.onnx"), [1, 2, 3, 4, 5, 6, 7, 8]);
        using var sessions = new ModelSessionCache(new InferenceOptions { Device = InferenceDevice.Cpu });
        var e = Assert.Throws<ModelLoadException>(() => ModelCatalog.Load(_dir.Path, sessions));
        Assert.Equal(_dir.Combine("Broken.onnx"), e.File);
        Assert.Contains("Broken.onnx", e.Message);
        Assert.NotNull(path);
    }

    [SkippableFact]
    public void CatalogOfAMissingFolderIsAModelLoadException()
    {
        using var sessions = new ModelSessionCache(new InferenceOptions { Device = InferenceDevice.Cpu });
        var e = Assert.Throws<ModelLoadException>(() => ModelCatalog.Load(_dir.Combine("nope"), sessions));
        Assert.Equal("ModelFolderMissing", e.Code);
    }
}
