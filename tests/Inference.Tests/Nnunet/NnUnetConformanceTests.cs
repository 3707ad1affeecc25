using System.Text.Json;
using InnerEye.Cli;
using InnerEye.Imaging.Tests.Support;
using InnerEye.Inference.Tests.Support;
using Xunit.Abstractions;

namespace InnerEye.Inference.Tests.Nnunet;

/// <summary>
/// The fixture's nnU-Net model imported with <c>innereye models import-nnunet</c> in the three settings nnU-Net's own
/// predictor was run with, every case segmented with <c>innereye segment</c>, and the labels compared with nnU-Net's
/// by the fixture's <c>compare.py</c>: per-class Dice ≥ 0.999 and voxel agreement ≥ 99.95 % in every setting; the
/// mean absolute difference of the class probabilities is reported (target ≤ 0.005) where the fixture stores them.
/// </summary>
[Trait("Category", "Conformance")]
public sealed class NnUnetConformanceTests(NnUnetConformanceTests.ImportedModels imported, ITestOutputHelper output)
    : IClassFixture<NnUnetConformanceTests.ImportedModels>
{
    public const double MinDice = 0.999;
    public const double MinAgreement = 0.9995;
    public const double TargetProbabilityMad = 0.005;

    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (var c in new[] { "hfs_std", "ffs", "zero_border" })
            foreach (var s in new[] { "a", "b", "c" }) data.Add(c, s);
        return data;
    }

    [SkippableTheory]
    [MemberData(nameof(Cases))]
    [Trait("Category", "Slow")]
    public async Task SegmentationEqualsNnUnetsOwnPredictor(string caseName, string setting)
    {
        var fixture = NnUnetFixture.Root;
        ExternalProcess.Available(ExternalProcess.Python, "nibabel");
        var models = imported.Folder(setting);
        using var temp = new TempDirectory();
        var labels = temp.Combine("labels.nii.gz");
        var caseDir = Path.Combine(fixture, "cases", caseName);
        var storesProbabilities = File.Exists(Path.Combine(caseDir, $"prob_{setting}.npz"));
        var probabilities = temp.Combine("probabilities.npy");
        List<string> args = ["segment", caseDir, "--model", ImportedModels.Id, "--models", models, "--out", temp.Combine("rt.dcm"),
            "--labels", labels, "--device", "cpu"];
        if (storesProbabilities) args.AddRange(["--probabilities", probabilities]);
        var (code, stdout, stderr) = await Cli(args);
        output.WriteLine(stdout + stderr);
        Assert.True(code == 0, stderr);

        List<string> compare = [Path.Combine(fixture, "compare.py"), labels, caseName, setting, "--json"];
        if (storesProbabilities) compare.AddRange(["--prob", probabilities]);
        var result = ExternalProcess.Run(ExternalProcess.Python, compare, throwOnError: false);
        output.WriteLine(result.Stdout + result.Stderr);
        Assert.True(result.ExitCode is 0 or 1, result.Stdout + result.Stderr);
        var json = JsonDocument.Parse(result.Stdout).RootElement;
        var agreement = json.GetProperty("voxel_agreement").GetDouble();
        Assert.True(agreement >= MinAgreement, $"voxel agreement {agreement:0.000000} < {MinAgreement}");
        foreach (var c in json.GetProperty("classes").EnumerateObject())
        {
            var dice = c.Value.GetProperty("dice");
            if (dice.ValueKind == JsonValueKind.Null) continue;
            Assert.True(dice.GetDouble() >= MinDice, $"{c.Name}: Dice {dice.GetDouble():0.00000} < {MinDice}");
        }
        if (storesProbabilities)
        {
            var mad = json.GetProperty("probabilities").GetProperty("mean_abs_diff").GetDouble();
            output.WriteLine($"probability mean |Δ| {mad:0.000000} (target ≤ {TargetProbabilityMad})");
            Assert.True(mad <= TargetProbabilityMad, $"mean |Δp| {mad} > {TargetProbabilityMad}");
        }
    }

    internal static async Task<(int Code, string Stdout, string Stderr)> Cli(IEnumerable<string> args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await CommandLine.RunAsync([.. args], stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    /// <summary>The fixture's model imported once per setting: a (folds 0, 1, mirroring), b (folds 0, 1), c (fold 0).</summary>
    public sealed class ImportedModels : IDisposable
    {
        public const string Id = "Thorax501";
        private readonly TempDirectory _temp = new();
        private readonly Lock _gate = new();
        private readonly Dictionary<string, string> _imported = [];

        public string Folder(string setting)
        {
            lock (_gate)
            {
                if (_imported.TryGetValue(setting, out var done)) return done;
                var folder = _temp.Combine("setting-" + setting);
                string[] options = setting switch
                {
                    "a" => ["--folds", "0,1"],
                    "b" => ["--folds", "0,1", "--no-mirroring"],
                    _ => ["--folds", "0", "--no-mirroring"],
                };
                var (code, stdout, stderr) = Cli(["models", "import-nnunet", NnUnetFixture.ModelFolder, "--id", Id, .. options, "--out", folder])
                    .GetAwaiter().GetResult();
                if (code != 0) throw new InvalidOperationException($"import-nnunet exited {code}: {stderr}{stdout}");
                _imported[setting] = folder;
                return folder;
            }
        }

        public void Dispose() => _temp.Dispose();
    }
}
