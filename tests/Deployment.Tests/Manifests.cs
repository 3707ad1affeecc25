using System.Collections.Concurrent;
using System.Text.Json;
using InnerEye.Imaging.Tests.Support;

namespace InnerEye.Deployment.Tests;

/// <summary>
/// Renders the kustomize overlays under k8s/overlays with kubectl and reads the result as JSON. The kubectl is the one
/// named by the KUBECTL environment variable, else the Debian kubernetes-client 1.20 (whose built-in kustomize is the
/// oldest the manifests promise to support) where it is unpacked at /opt/kubectl120, else kubectl on PATH.
/// </summary>
public static class Manifests
{
    public const string Namespace = "innereye";
    public const string OldKubectl = "/opt/kubectl120/usr/bin/kubectl";

    public static readonly string[] Overlays = ["cpu-only", "gpu"];

    public static TheoryData<string> OverlayNames
    {
        get
        {
            var data = new TheoryData<string>();
            foreach (var overlay in Overlays) data.Add(overlay);
            return data;
        }
    }

    public static string Kubectl
    {
        get
        {
            var named = Environment.GetEnvironmentVariable("KUBECTL");
            if (!string.IsNullOrWhiteSpace(named)) return named;
            return File.Exists(OldKubectl) ? OldKubectl : "kubectl";
        }
    }

    private static readonly ConcurrentDictionary<string, Lazy<Rendering>> Cache = new();

    /// <summary>The overlay's objects; a test without kubectl or python3-yaml stops here, Skipped (failed with CI=true).</summary>
    public static Rendering Render(string overlay)
    {
        ExternalProcess.Require(Kubectl);
        ExternalProcess.Require(ExternalProcess.Python, "yaml");
        return Cache.GetOrAdd(overlay, o => new Lazy<Rendering>(() => RenderNow(o))).Value;
    }

    private static Rendering RenderNow(string overlay)
    {
        var directory = Path.Combine(ExternalProcess.RepositoryRoot, "k8s", "overlays", overlay);
        var (_, yaml, _) = ExternalProcess.Run(Kubectl, ["kustomize", directory]);
        return new Rendering(overlay, yaml, YamlToJson(yaml));
    }

    /// <summary>Every document of a YAML stream, through tests/tools/yaml_to_json.py.</summary>
    public static JsonElement[] YamlToJson(string yaml)
    {
        var file = Path.Combine(Path.GetTempPath(), $"innereye-manifest-{Guid.NewGuid():N}.yaml");
        try
        {
            File.WriteAllText(file, yaml);
            var (_, json, _) = ExternalProcess.RunPythonTool("yaml_to_json.py", file);
            using var document = JsonDocument.Parse(json);
            return document.RootElement.EnumerateArray().Select(e => e.Clone()).ToArray();
        }
        finally
        {
            File.Delete(file);
        }
    }
}

public sealed record Rendering(string Overlay, string Yaml, JsonElement[] Objects)
{
    public IEnumerable<JsonElement> OfKind(string kind) => Objects.Where(o => o.Str("kind") == kind);

    public JsonElement? Find(string kind, string name) =>
        OfKind(kind).Where(o => o.Get("metadata").Str("name") == name).Select(o => (JsonElement?)o).FirstOrDefault();

    public JsonElement Single(string kind, string name) =>
        Find(kind, name) ?? throw new Xunit.Sdk.XunitException($"{Overlay}: no {kind} named {name} in the render");
}

/// <summary>Null-tolerant navigation of Kubernetes objects.</summary>
public static class Json
{
    public static JsonElement Get(this JsonElement element, string property) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(property, out var value) ? value : default;

    public static JsonElement Get(this JsonElement element, params string[] path) =>
        path.Aggregate(element, (e, p) => e.Get(p));

    public static bool Has(this JsonElement element) => element.ValueKind is not (JsonValueKind.Undefined or JsonValueKind.Null);

    public static string? Str(this JsonElement element, string property)
    {
        var value = element.Get(property);
        return value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => value.GetRawText(),
            _ => null,
        };
    }

    public static IEnumerable<JsonElement> Items(this JsonElement element) =>
        element.ValueKind == JsonValueKind.Array ? element.EnumerateArray() : [];

    public static Dictionary<string, string> StringMap(this JsonElement element) =>
        element.ValueKind == JsonValueKind.Object
            ? element.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.ValueKind == JsonValueKind.String
                ? p.Value.GetString()! : p.Value.GetRawText())
            : [];

    public static string Name(this JsonElement obj) => obj.Get("metadata").Str("name") ?? "";
}
