using System.Text.RegularExpressions;
using InnerEye.Imaging.Tests.Support;

namespace InnerEye.Deployment.Tests;

/// <summary>
/// Text checks of the Dockerfiles (no Docker engine needed): the runtime stage, which is the last FROM, runs as a
/// non-root user, installs the DICOM codecs, ships the models and starts the right assembly; the GPU image is built on
/// a CUDA 13 + cuDNN runtime image, which is what ONNX Runtime's CUDA provider is built against.
/// </summary>
[Trait("Category", "Deployment")]
public partial class DockerfileTests
{
    public static TheoryData<string, string> Dockerfiles => new()
    {
        { "Gateway.Api/Dockerfile", "InnerEye.Gateway.Api.dll" },
        { "Silo/Dockerfile", "InnerEye.Silo.dll" },
        { "Silo/Dockerfile.gpu", "InnerEye.Silo.dll" },
    };

    /// <summary>The instructions of the last stage, continuation lines joined and comments dropped.</summary>
    private static List<string> RuntimeStage(string relativePath)
    {
        var path = Path.Combine(ExternalProcess.RepositoryRoot, relativePath);
        Assert.True(File.Exists(path), $"{relativePath} is missing");
        var instructions = new List<string>();
        var current = "";
        foreach (var raw in File.ReadAllLines(path))
        {
            var line = raw.Trim();
            if (line.StartsWith('#') || line.Length == 0) continue;
            if (line.EndsWith('\\'))
            {
                current += line[..^1] + " ";
                continue;
            }
            instructions.Add(current + line);
            current = "";
        }
        var lastFrom = instructions.FindLastIndex(i => i.StartsWith("FROM ", StringComparison.OrdinalIgnoreCase));
        Assert.True(lastFrom >= 0, $"{relativePath} has no FROM");
        return instructions[lastFrom..];
    }

    private static string Argument(string instruction) => instruction[(instruction.IndexOf(' ') + 1)..].Trim();

    [SkippableTheory]
    [MemberData(nameof(Dockerfiles))]
    public void Runtime_stage_is_non_root_installs_codecs_ships_models_and_starts_the_service(string dockerfile, string assembly)
    {
        var stage = RuntimeStage(dockerfile);

        var users = stage.Where(i => i.StartsWith("USER ", StringComparison.OrdinalIgnoreCase)).Select(Argument).ToArray();
        Assert.True(users.Length > 0, $"{dockerfile}: the runtime stage has no USER and runs as root");
        var user = users[^1].Split(':')[0];
        Assert.DoesNotContain(user, new[] { "root", "0" });

        var installs = stage.Where(i => i.StartsWith("RUN ", StringComparison.OrdinalIgnoreCase) && i.Contains("apt-get install")).ToArray();
        Assert.True(installs.Length > 0, $"{dockerfile}: the runtime stage installs no packages");
        var words = installs.SelectMany(i => i.Split([' ', '\t', '&', ';'], StringSplitOptions.RemoveEmptyEntries)).ToHashSet();
        Assert.Contains("libcharls2", words);
        Assert.Contains("libopenjp2-7", words);

        Assert.Contains(stage, i => CopyModels().IsMatch(i));
        Assert.Contains(stage, i => i.StartsWith("EXPOSE ", StringComparison.OrdinalIgnoreCase) && Argument(i).Split(' ').Contains("8080"));
        // The metrics port (Metrics:Port's default), which Prometheus scrapes and nothing routes.
        Assert.Contains(stage, i => i.StartsWith("EXPOSE ", StringComparison.OrdinalIgnoreCase) && Argument(i).Split(' ').Contains("9464"));
        if (assembly == "InnerEye.Silo.dll")
        {
            var exposed = stage.Where(i => i.StartsWith("EXPOSE ", StringComparison.OrdinalIgnoreCase))
                .SelectMany(i => Argument(i).Split(' ')).ToArray();
            Assert.Contains("11111", exposed);
            Assert.Contains("30000", exposed);
        }

        var entrypoint = stage.LastOrDefault(i => i.StartsWith("ENTRYPOINT ", StringComparison.OrdinalIgnoreCase));
        Assert.NotNull(entrypoint);
        Assert.Matches($@"^ENTRYPOINT\s+\[\s*""dotnet""\s*,\s*""{Regex.Escape(assembly)}""\s*\]$", entrypoint);

        var environment = string.Join(' ', stage.Where(i => i.StartsWith("ENV ", StringComparison.OrdinalIgnoreCase)));
        Assert.Contains("ASPNETCORE_HTTP_PORTS=8080", environment);
        Assert.Contains("Models__Path=/app/models", environment);
        Assert.Contains("DOTNET_SHUTDOWNTIMEOUTSECONDS=120", environment);
    }

    [SkippableTheory]
    [MemberData(nameof(Dockerfiles))]
    public void Build_stage_publishes_the_project_on_the_dotnet_10_sdk(string dockerfile, string assembly)
    {
        var text = File.ReadAllText(Path.Combine(ExternalProcess.RepositoryRoot, dockerfile));
        Assert.Matches(@"(?m)^FROM\s+mcr\.microsoft\.com/dotnet/sdk:10\.0\S*\s+AS\s+build", text);
        var project = assembly == "InnerEye.Silo.dll" ? "Silo/Silo.csproj" : "Gateway.Api/Gateway.Api.csproj";
        Assert.Contains($"dotnet restore {project}", text);
        Assert.Matches($@"dotnet publish {Regex.Escape(project)} -c Release -o /app", text);
        Assert.Contains("COPY Directory.Build.props Directory.Packages.props", text);
    }

    [SkippableFact]
    public void Gpu_image_is_built_on_a_cuda_13_cudnn_runtime_image()
    {
        var from = Argument(RuntimeStage("Silo/Dockerfile.gpu")[0]);
        var match = CudaImage().Match(from);
        Assert.True(match.Success, $"the GPU runtime stage is FROM {from}, not an nvidia/cuda cuDNN runtime image");
        Assert.Equal("13", match.Groups["major"].Value);
    }

    [SkippableFact]
    public void Cpu_images_are_built_on_the_aspnet_10_runtime()
    {
        foreach (var dockerfile in new[] { "Gateway.Api/Dockerfile", "Silo/Dockerfile" })
            Assert.Matches(@"^FROM\s+mcr\.microsoft\.com/dotnet/aspnet:10\.0\S*(\s+AS\s+\S+)?$", RuntimeStage(dockerfile)[0]);
    }

    [SkippableFact]
    public void Docker_context_leaves_out_build_outputs_but_not_the_models()
    {
        var path = Path.Combine(ExternalProcess.RepositoryRoot, ".dockerignore");
        Assert.True(File.Exists(path), ".dockerignore is missing");
        var patterns = File.ReadAllLines(path).Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')).ToArray();
        foreach (var required in new[] { "**/bin/", "**/obj/", ".git" })
            Assert.Contains(required, patterns);
        Assert.DoesNotContain(patterns, p => p.TrimEnd('/') is "models" or "models/*" or "**" or "*");
    }

    [GeneratedRegex(@"^COPY\s+(--\S+\s+)*models/?\s+/app/models/?$", RegexOptions.IgnoreCase)]
    private static partial Regex CopyModels();

    [GeneratedRegex(@"^(?:(?:docker\.io|nvcr\.io)/)?nvidia/cuda:(?<major>\d+)\.\d+(?:\.\d+)?-cudnn\d*-runtime-ubuntu\d+\.\d+(\s+AS\s+\S+)?$",
        RegexOptions.IgnoreCase)]
    private static partial Regex CudaImage();
}
