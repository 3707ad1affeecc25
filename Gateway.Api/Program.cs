using InnerEye.Gateway.Api.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddInnerEyeGateway();
var app = builder.Build();
app.UseInnerEyeGateway();
await app.RunAsync();

/// <summary>The Gateway.Api host; public for WebApplicationFactory.</summary>
public partial class Program;
