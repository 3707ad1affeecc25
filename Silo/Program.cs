using InnerEye.Grains.Hosting;
using InnerEye.Inference;
using Orleans.Dashboard;

// A silo process: its role (Silo:Role = gpu | cpu | all) becomes silo metadata, so that model grains are placed only
// on GPU silos. It serves /health/live and /health/ready for its orchestrator.
var builder = WebApplication.CreateBuilder(args);
var config = builder.Configuration;
if (string.IsNullOrEmpty(config["urls"]) && string.IsNullOrEmpty(config["http_ports"])) builder.WebHost.UseUrls("http://localhost:5100");
var dataPath = Path.GetFullPath(config["Storage:Path"] is { Length: > 0 } p ? p : Path.Combine(builder.Environment.ContentRootPath, ".data"));
var settings = SiloSettings.FromConfiguration(config, dataPath, SiloSettings.FindModelsFolder());

builder.UseOrleans(silo =>
{
    var clustering = config["Orleans:Clustering"];
    if (clustering is not (null or "" or "Localhost" or "localhost"))
        throw new InvalidOperationException($"Orleans:Clustering '{clustering}' is not supported; leave it unset for a single-silo cluster on localhost.");
    silo.UseLocalhostClustering(config.GetValue("Orleans:SiloPort", 11111), config.GetValue("Orleans:GatewayPort", 30000));
    silo.UseLocalDiskState(Path.Combine(dataPath, "state"));
    silo.AddInnerEyeSilo(settings, config);
    silo.AddDashboard();
});
builder.Services.AddHealthChecks();

var app = builder.Build();
var catalog = app.Services.GetRequiredService<ModelCatalog>();
app.Logger.LogInformation("Silo role {Role}; models: {Models}.", settings.Role, string.Join(", ", catalog.Models.Select(m => m.FullId)));
app.MapHealthChecks("/health/live");
app.MapHealthChecks("/health/ready");
await app.RunAsync();
