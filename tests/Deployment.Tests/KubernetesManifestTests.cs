using System.Text.Json;

namespace InnerEye.Deployment.Tests;

/// <summary>The rendered kustomize overlays carry what the service needs from Kubernetes (docs/deployment.md).</summary>
[Trait("Category", "Deployment")]
public class KubernetesManifestTests
{
    private static readonly string[] DeploymentNames = ["silo-cpu", "silo-gpu", "gateway-api"];

    private static readonly Dictionary<string, string> Probes = new()
    {
        ["startupProbe"] = "/health/startup",
        ["readinessProbe"] = "/health/ready",
        ["livenessProbe"] = "/health/live",
    };

    private static JsonElement PodSpec(JsonElement deployment) => deployment.Get("spec", "template", "spec");

    private static JsonElement MainContainer(JsonElement deployment)
    {
        var containers = PodSpec(deployment).Get("containers").Items().ToArray();
        Assert.True(containers.Length == 1, $"{deployment.Name()}: expected one container, found {containers.Length}");
        return containers[0];
    }

    private static JsonElement? Env(JsonElement container, string name) =>
        container.Get("env").Items().Where(e => e.Str("name") == name).Select(e => (JsonElement?)e).FirstOrDefault();

    private static string? EnvValue(JsonElement container, string name) => Env(container, name) is { } e ? e.Str("value") : null;

    /// <summary>A probe's port as a number, resolving a named container port.</summary>
    private static int? ProbePort(JsonElement container, JsonElement probe)
    {
        var port = probe.Get("httpGet", "port");
        if (port.ValueKind == JsonValueKind.Number) return port.GetInt32();
        if (port.ValueKind != JsonValueKind.String) return null;
        if (int.TryParse(port.GetString(), out var number)) return number;
        return container.Get("ports").Items().Where(p => p.Str("name") == port.GetString())
            .Select(p => (int?)p.Get("containerPort").GetInt32()).FirstOrDefault();
    }

    private static bool Selects(JsonElement selector, JsonElement podLabels)
    {
        var wanted = selector.Get("matchLabels").StringMap();
        var labels = podLabels.StringMap();
        return wanted.Count > 0 && !selector.Get("matchExpressions").Has()
            && wanted.All(kv => labels.TryGetValue(kv.Key, out var v) && v == kv.Value);
    }

    [SkippableTheory]
    [MemberData(nameof(Manifests.OverlayNames), MemberType = typeof(Manifests))]
    public void Overlay_has_the_three_deployments_with_their_roles(string overlay)
    {
        var render = Manifests.Render(overlay);
        Assert.Equal(DeploymentNames.Order(), render.OfKind("Deployment").Select(d => d.Name()).Order());
        Assert.Equal("cpu", EnvValue(MainContainer(render.Single("Deployment", "silo-cpu")), "Silo__Role"));
        Assert.Equal("gpu", EnvValue(MainContainer(render.Single("Deployment", "silo-gpu")), "Silo__Role"));
        Assert.Null(EnvValue(MainContainer(render.Single("Deployment", "gateway-api")), "Silo__Role"));

        var config = render.OfKind("ConfigMap").Select(c => c.Get("data").StringMap()).SingleOrDefault(d => d.ContainsKey("Cluster__Mode"));
        Assert.NotNull(config);
        Assert.Equal("Redis", config["Cluster__Mode"]);
        Assert.Equal("redis:6379", config["Cluster__Redis"]);
        Assert.Equal("/data", config["Storage__Path"]);
        foreach (var name in DeploymentNames)
        {
            var deployment = render.Single("Deployment", name);
            var configMaps = MainContainer(deployment).Get("envFrom").Items().Select(e => e.Get("configMapRef").Str("name")).ToArray();
            var sharedConfig = render.OfKind("ConfigMap").Single(c => c.Get("data").StringMap().ContainsKey("Cluster__Mode")).Name();
            Assert.Contains(sharedConfig, configMaps);

            // Orleans' Kubernetes integration finds silo pods by these labels; their values are the configured ids.
            var labels = deployment.Get("spec", "template", "metadata", "labels").StringMap();
            Assert.Equal(config["ORLEANS_SERVICE_ID"], labels["orleans/serviceId"]);
            Assert.Equal(config["ORLEANS_CLUSTER_ID"], labels["orleans/clusterId"]);
            Assert.True(labels.ContainsKey("app.kubernetes.io/name") && labels.ContainsKey("app.kubernetes.io/component"),
                $"{overlay}/{name}: app.kubernetes.io labels");
        }
    }

    [SkippableTheory]
    [MemberData(nameof(Manifests.OverlayNames), MemberType = typeof(Manifests))]
    public void Every_deployment_has_probes_resources_grace_period_and_downward_api(string overlay)
    {
        var render = Manifests.Render(overlay);
        foreach (var deployment in render.OfKind("Deployment"))
        {
            var name = $"{overlay}/{deployment.Name()}";
            var container = MainContainer(deployment);
            foreach (var (probeName, path) in Probes)
            {
                var probe = container.Get(probeName);
                Assert.True(probe.Has(), $"{name}: no {probeName}");
                Assert.Equal(path, probe.Get("httpGet").Str("path"));
                Assert.Equal(8080, ProbePort(container, probe));
            }
            Assert.Contains(container.Get("ports").Items(), p => p.Get("containerPort").GetInt32() == 8080);

            var resources = container.Get("resources");
            Assert.True(resources.Get("requests").Str("cpu") is not null, $"{name}: no CPU request");
            Assert.True(resources.Get("requests").Str("memory") is not null, $"{name}: no memory request");
            Assert.True(resources.Get("limits").Str("memory") is not null, $"{name}: no memory limit");

            var grace = PodSpec(deployment).Get("terminationGracePeriodSeconds");
            Assert.True(grace.ValueKind == JsonValueKind.Number && grace.GetInt32() > 120,
                $"{name}: terminationGracePeriodSeconds must exceed the 120 s host shutdown timeout");

            foreach (var (variable, field) in new[] { ("POD_NAME", "metadata.name"), ("POD_IP", "status.podIP"),
                ("POD_NAMESPACE", "metadata.namespace") })
            {
                var env = Env(container, variable);
                Assert.True(env.HasValue, $"{name}: no {variable}");
                Assert.Equal(field, env.Value.Get("valueFrom", "fieldRef").Str("fieldPath"));
            }
        }
    }

    [SkippableTheory]
    [MemberData(nameof(Manifests.OverlayNames), MemberType = typeof(Manifests))]
    public void Every_deployment_mounts_the_shared_artifact_volume_at_data(string overlay)
    {
        var render = Manifests.Render(overlay);
        foreach (var deployment in render.OfKind("Deployment"))
        {
            var name = $"{overlay}/{deployment.Name()}";
            var mount = MainContainer(deployment).Get("volumeMounts").Items().SingleOrDefault(m => m.Str("mountPath") == "/data");
            Assert.True(mount.Has(), $"{name}: nothing mounted at /data");
            var volume = PodSpec(deployment).Get("volumes").Items().SingleOrDefault(v => v.Str("name") == mount.Str("name"));
            var claimName = volume.Get("persistentVolumeClaim").Str("claimName");
            Assert.True(claimName is not null, $"{name}: /data is not a PersistentVolumeClaim");
            var claim = render.Single("PersistentVolumeClaim", claimName);
            Assert.Contains("ReadWriteMany", claim.Get("spec", "accessModes").Items().Select(m => m.GetString()));
        }
        Assert.NotNull(render.Find("PersistentVolumeClaim", "innereye-artifacts"));
    }

    [SkippableTheory]
    [MemberData(nameof(Manifests.OverlayNames), MemberType = typeof(Manifests))]
    public void Role_grants_pod_access_to_the_service_account_the_deployments_run_as(string overlay)
    {
        var render = Manifests.Render(overlay);
        var accounts = render.OfKind("Deployment").Select(d => PodSpec(d).Str("serviceAccountName")).Distinct().ToArray();
        Assert.True(accounts.All(a => !string.IsNullOrEmpty(a)), $"{overlay}: a Deployment runs as the default service account");
        foreach (var account in accounts)
        {
            Assert.NotNull(render.Find("ServiceAccount", account!));
            var roles = render.OfKind("RoleBinding")
                .Where(b => b.Get("subjects").Items().Any(s => s.Str("kind") == "ServiceAccount" && s.Str("name") == account
                                                              && (s.Str("namespace") ?? Manifests.Namespace) == Manifests.Namespace))
                .Where(b => b.Get("roleRef").Str("kind") == "Role")
                .Select(b => render.Find("Role", b.Get("roleRef").Str("name")!))
                .Where(r => r.HasValue).Select(r => r!.Value);
            var verbs = roles.SelectMany(r => r.Get("rules").Items())
                .Where(rule => rule.Get("apiGroups").Items().Any(g => g.GetString() == "")
                               && rule.Get("resources").Items().Any(x => x.GetString() == "pods"))
                .SelectMany(rule => rule.Get("verbs").Items().Select(v => v.GetString()))
                .ToHashSet();
            foreach (var verb in new[] { "get", "list", "watch", "delete" })
                Assert.True(verbs.Contains(verb) || verbs.Contains("*"), $"{overlay}: service account {account} may not {verb} pods");
        }
    }

    [SkippableTheory]
    [MemberData(nameof(Manifests.OverlayNames), MemberType = typeof(Manifests))]
    public void A_disruption_budget_covers_every_deployment(string overlay)
    {
        var render = Manifests.Render(overlay);
        foreach (var deployment in render.OfKind("Deployment"))
        {
            var podLabels = deployment.Get("spec", "template", "metadata", "labels");
            Assert.True(Selects(deployment.Get("spec", "selector"), podLabels), $"{overlay}/{deployment.Name()}: selector does not match its pods");
            Assert.True(render.OfKind("PodDisruptionBudget").Any(p => Selects(p.Get("spec", "selector"), podLabels)),
                $"{overlay}/{deployment.Name()}: no PodDisruptionBudget selects its pods");
        }
    }

    [SkippableTheory]
    [MemberData(nameof(Manifests.OverlayNames), MemberType = typeof(Manifests))]
    public void Gateway_reads_the_api_secret_from_a_secret_in_the_render(string overlay)
    {
        var render = Manifests.Render(overlay);
        var env = Env(MainContainer(render.Single("Deployment", "gateway-api")), "CUSTOMCONNSTR_API_AUTH_SECRET");
        Assert.True(env.HasValue, $"{overlay}: gateway-api has no CUSTOMCONNSTR_API_AUTH_SECRET");
        var reference = env.Value.Get("valueFrom", "secretKeyRef");
        Assert.True(reference.Has(), $"{overlay}: CUSTOMCONNSTR_API_AUTH_SECRET is not from a secretKeyRef");
        Assert.Null(env.Value.Str("value"));
        var secret = render.Single("Secret", reference.Str("name")!);
        var key = reference.Str("key")!;
        Assert.True(secret.Get("data").Get(key).Has() || secret.Get("stringData").Get(key).Has(), $"{overlay}: the Secret has no key {key}");
        Assert.Null(EnvValue(MainContainer(render.Single("Deployment", "silo-cpu")), "CUSTOMCONNSTR_API_AUTH_SECRET"));
    }

    [SkippableTheory]
    [MemberData(nameof(Manifests.OverlayNames), MemberType = typeof(Manifests))]
    public void Redis_keeps_an_append_only_file_on_a_persistent_volume(string overlay)
    {
        var render = Manifests.Render(overlay);
        var redis = render.Single("StatefulSet", "redis");
        var container = PodSpec(redis).Get("containers").Items().Single();
        Assert.StartsWith("redis:7", container.Str("image"));
        var words = container.Get("command").Items().Concat(container.Get("args").Items()).Select(a => a.GetString()).ToList();
        var appendOnly = words.IndexOf("--appendonly");
        Assert.True(appendOnly >= 0 && appendOnly + 1 < words.Count && words[appendOnly + 1] == "yes",
            $"{overlay}: redis runs without --appendonly yes");
        var templates = redis.Get("spec", "volumeClaimTemplates").Items().Select(t => t.Name()).ToArray();
        Assert.NotEmpty(templates);
        Assert.Contains(container.Get("volumeMounts").Items(), m => templates.Contains(m.Str("name")) && m.Str("mountPath") == "/data");

        var service = render.Single("Service", "redis");
        Assert.Equal("None", service.Get("spec").Str("clusterIP"));
        Assert.Contains(service.Get("spec", "ports").Items(), p => p.Get("port").GetInt32() == 6379);
        var selector = service.Get("spec", "selector").StringMap();
        var podLabels = redis.Get("spec", "template", "metadata", "labels").StringMap();
        Assert.True(selector.Count > 0 && selector.All(kv => podLabels.GetValueOrDefault(kv.Key) == kv.Value),
            $"{overlay}: the redis Service does not select the redis pod");
    }

    [SkippableTheory]
    [MemberData(nameof(Manifests.OverlayNames), MemberType = typeof(Manifests))]
    public void Every_pod_is_scraped_on_its_own_metrics_port_which_nothing_routes(string overlay)
    {
        if (Manifests.Render(overlay) is not { } render) return;
        foreach (var name in DeploymentNames)
        {
            var deployment = render.Single("Deployment", name);
            var annotations = deployment.Get("spec", "template", "metadata", "annotations").StringMap();
            Assert.Equal("true", annotations.GetValueOrDefault("prometheus.io/scrape"));
            Assert.Equal("9464", annotations.GetValueOrDefault("prometheus.io/port"));
            Assert.Equal("/metrics", annotations.GetValueOrDefault("prometheus.io/path"));
            var container = MainContainer(deployment);
            Assert.Contains(container.Get("ports").Items(), p => p.Str("name") == "metrics" && p.Get("containerPort").GetInt32() == 9464);
            // The default port is the one annotated: no setting moves it elsewhere.
            Assert.Null(EnvValue(container, "Metrics__Port"));
        }
        foreach (var config in render.OfKind("ConfigMap"))
            Assert.DoesNotContain(config.Get("data").StringMap().Keys, k => k.StartsWith("Metrics__", StringComparison.Ordinal));
        foreach (var service in render.OfKind("Service"))
        {
            foreach (var port in service.Get("spec", "ports").Items())
            {
                Assert.NotEqual(9464, port.Get("port").GetInt32());
                var target = port.Get("targetPort");
                Assert.NotEqual("9464", target.ValueKind == JsonValueKind.Number ? target.GetInt32().ToString() : port.Str("targetPort"));
                Assert.NotEqual("metrics", port.Str("targetPort"));
            }
        }
        foreach (var path in render.OfKind("Ingress").SelectMany(i => i.Get("spec", "rules").Items()).SelectMany(r => r.Get("http", "paths").Items()))
            Assert.NotEqual("/metrics", path.Str("path"));
    }

    [SkippableTheory]
    [MemberData(nameof(Manifests.OverlayNames), MemberType = typeof(Manifests))]
    public void Services_and_ingress_route_to_the_right_ports(string overlay)
    {
        var render = Manifests.Render(overlay);
        var gateway = render.Single("Service", "gateway-api");
        Assert.Contains(gateway.Get("spec", "ports").Items(), p => p.Get("port").GetInt32() == 80 && p.Str("targetPort") == "8080");

        // Silos talk pod IP to pod IP: the silo Service is headless and names both Orleans ports.
        var silo = render.Single("Service", "silo");
        Assert.Equal("None", silo.Get("spec").Str("clusterIP"));
        var ports = silo.Get("spec", "ports").Items().Select(p => p.Get("port").GetInt32()).ToArray();
        Assert.Contains(11111, ports);
        Assert.Contains(30000, ports);
        var selector = silo.Get("spec", "selector").StringMap();
        foreach (var name in new[] { "silo-cpu", "silo-gpu" })
        {
            var labels = render.Single("Deployment", name).Get("spec", "template", "metadata", "labels").StringMap();
            Assert.True(selector.All(kv => labels.GetValueOrDefault(kv.Key) == kv.Value), $"{overlay}: the silo Service does not select {name}");
            var containerPorts = MainContainer(render.Single("Deployment", name)).Get("ports").Items().Select(p => p.Get("containerPort").GetInt32());
            Assert.Contains(11111, containerPorts);
            Assert.Contains(30000, containerPorts);
        }

        var ingresses = render.OfKind("Ingress").ToArray();
        var main = ingresses.Single(i => i.Get("spec", "rules").Items().SelectMany(r => r.Get("http", "paths").Items())
            .Any(p => p.Str("path") == "/"));
        Assert.Equal("networking.k8s.io/v1", main.Str("apiVersion"));
        Assert.Equal("nginx", main.Get("spec").Str("ingressClassName"));
        var annotations = main.Get("metadata", "annotations").StringMap();
        Assert.Equal("2g", annotations.GetValueOrDefault("nginx.ingress.kubernetes.io/proxy-body-size"));
        Assert.Equal("600", annotations.GetValueOrDefault("nginx.ingress.kubernetes.io/proxy-read-timeout"));
        Assert.Equal("600", annotations.GetValueOrDefault("nginx.ingress.kubernetes.io/proxy-send-timeout"));
        Assert.Equal("off", annotations.GetValueOrDefault("nginx.ingress.kubernetes.io/proxy-request-buffering"));
        // STOW-RS bodies are whole studies: DICOMweb goes through the main Ingress, with its body size and timeouts.
        Assert.Contains(main.Get("spec", "rules").Items().SelectMany(r => r.Get("http", "paths").Items()),
            p => p.Str("path") == "/dicomweb" && p.Str("pathType") == "Prefix");
        foreach (var path in ingresses.SelectMany(i => i.Get("spec", "rules").Items()).SelectMany(r => r.Get("http", "paths").Items()))
            Assert.Equal("gateway-api", path.Get("backend", "service").Str("name"));
    }

    [SkippableTheory]
    [MemberData(nameof(Manifests.OverlayNames), MemberType = typeof(Manifests))]
    public void Every_object_is_in_the_innereye_namespace(string overlay)
    {
        var render = Manifests.Render(overlay);
        Assert.NotNull(render.Find("Namespace", Manifests.Namespace));
        foreach (var obj in render.Objects.Where(o => o.Str("kind") != "Namespace"))
            Assert.True(obj.Get("metadata").Str("namespace") == Manifests.Namespace,
                $"{overlay}: {obj.Str("kind")}/{obj.Name()} is not in namespace {Manifests.Namespace}");
        foreach (var binding in render.OfKind("RoleBinding"))
        {
            foreach (var subject in binding.Get("subjects").Items().Where(s => s.Str("kind") == "ServiceAccount"))
                Assert.Equal(Manifests.Namespace, subject.Str("namespace"));
        }
    }

    [SkippableFact]
    public void Gpu_overlay_puts_model_silos_on_gpu_nodes_with_the_cuda_image()
    {
        var render = Manifests.Render("gpu");
        var deployment = render.Single("Deployment", "silo-gpu");
        var container = MainContainer(deployment);
        Assert.Equal("1", container.Get("resources", "limits").Str("nvidia.com/gpu"));
        Assert.NotEmpty(PodSpec(deployment).Get("nodeSelector").StringMap());
        Assert.Contains(PodSpec(deployment).Get("tolerations").Items(), t => t.Str("key") == "nvidia.com/gpu" && t.Str("effect") == "NoSchedule");
        Assert.Equal("Cuda", EnvValue(container, "Inference__Device"));
        Assert.StartsWith("innereye/silo-gpu", container.Str("image"));

        // Only the model silos claim GPUs.
        foreach (var name in new[] { "silo-cpu", "gateway-api" })
            Assert.False(MainContainer(render.Single("Deployment", name)).Get("resources", "limits").Get("nvidia.com/gpu").Has(),
                $"{name} asks for a GPU");
        Assert.Equal("Cpu", EnvValue(MainContainer(render.Single("Deployment", "silo-cpu")), "Inference__Device"));
    }

    [SkippableFact]
    public void Cpu_only_overlay_mentions_no_gpu_anywhere()
    {
        var render = Manifests.Render("cpu-only");
        Assert.DoesNotContain("nvidia.com/gpu", render.Yaml);
        var deployment = render.Single("Deployment", "silo-gpu");
        var container = MainContainer(deployment);
        Assert.Equal("Cpu", EnvValue(container, "Inference__Device"));
        Assert.False(PodSpec(deployment).Get("nodeSelector").Has(), "silo-gpu has a nodeSelector in the cpu-only overlay");
        Assert.False(PodSpec(deployment).Get("tolerations").Has(), "silo-gpu has tolerations in the cpu-only overlay");
        Assert.DoesNotContain("silo-gpu", container.Str("image") ?? "");
        foreach (var d in render.OfKind("Deployment"))
            Assert.NotEqual("Cuda", EnvValue(MainContainer(d), "Inference__Device"));
    }

    [SkippableFact]
    public void Ingress_nginx_controller_config_keeps_headers_with_underscores()
    {
        var file = Path.Combine(InnerEye.Imaging.Tests.Support.ExternalProcess.RepositoryRoot, "k8s", "ingress-nginx", "controller-configmap.yaml");
        Assert.True(File.Exists(file), $"{file} is missing");
        InnerEye.Imaging.Tests.Support.ExternalProcess.Require(InnerEye.Imaging.Tests.Support.ExternalProcess.Python, "yaml");
        var configMap = Manifests.YamlToJson(File.ReadAllText(file)).Single();
        Assert.Equal("ConfigMap", configMap.Str("kind"));
        Assert.Equal("true", configMap.Get("data").Str("enable-underscores-in-headers"));
    }
}
