using InnerEye.Grains.Hosting;
using InnerEye.Inference;
using InnerEye.Silo;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Orleans.Dashboard;

// A silo process. Its role (Silo:Role = gpu | cpu | all) becomes silo metadata: model grains go to GPU silos, job grains
// to the others. With Cluster:Mode = Redis it joins the cluster there; otherwise it is a one-silo cluster on
// localhost. /health/live, /health/ready and /health/startup serve its orchestrator.
var builder = WebApplication.CreateBuilder(args);
var config = builder.Configuration;
if (string.IsNullOrEmpty(config["urls"]) && string.IsNullOrEmpty(config["http_ports"])) builder.WebHost.UseUrls("http://localhost:5100");
var settings = SiloSettings.FromConfiguration(config, builder.Environment.ContentRootPath);
var cluster = ClusterSettings.FromConfiguration(config);

builder.UseOrleans(silo =>
{
    silo.UseInnerEyeCluster(cluster, Path.Combine(settings.StoragePath, "state"), settings.Permissions);
    silo.AddInnerEyeSilo(settings, config);
    silo.AddDashboard();
});
builder.AddInnerEyeTelemetry("innereye-silo");
builder.Services.AddHealthChecks().AddCheck<SiloReadyCheck>("silo", tags: ["ready"]);

var app = builder.Build();
var catalog = app.Services.GetRequiredService<ModelCatalog>();
app.Logger.LogInformation("Silo role {Role}, {Clustering} clustering; models: {Models}.", settings.Role,
    cluster.UsesRedis ? "Redis" : "localhost", string.Join(", ", catalog.Models.Select(m => m.FullId)));
app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains("ready") });
app.MapHealthChecks("/health/startup", new HealthCheckOptions { Predicate = c => c.Tags.Contains("ready") });
await app.RunAsync();
