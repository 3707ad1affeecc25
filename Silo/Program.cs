using InnerEye.Grains.Hosting;
using InnerEye.Inference;
using InnerEye.Silo;

// A silo process. Its role (Silo:Role = gpu | cpu | all) becomes silo metadata: model grains go to GPU silos, job grains
// to the others. With Cluster:Mode = Redis it joins the cluster there; otherwise it is a one-silo cluster on
// localhost. /health/live, /health/ready and /health/startup serve its orchestrator.
var builder = WebApplication.CreateBuilder(args);
if (string.IsNullOrEmpty(builder.Configuration["urls"]) && string.IsNullOrEmpty(builder.Configuration["http_ports"]))
    builder.WebHost.UseUrls("http://localhost:5100");
var host = InnerEyeHostSettings.Read(builder);
builder.AddInnerEyeSiloHost(host);
builder.AddInnerEyeTelemetry("innereye-silo");
builder.Services.AddReadyCheck<SiloReadyCheck>("silo");

var app = builder.Build();
var catalog = app.Services.GetRequiredService<ModelCatalog>();
app.Logger.LogInformation("Silo role {Role}, {Mode} clustering; models: {Models}.", host.Silo.Role, host.Cluster.Mode,
    string.Join(", ", catalog.Models.Select(m => m.FullId)));
app.MapHealthRoutes();
await app.RunAsync();
