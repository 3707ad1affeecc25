using System.Diagnostics;
using System.Net;
using System.Text.Json;
using InnerEye.Gateway.Api.Tests.Support;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;

namespace InnerEye.Gateway.Api.Tests.Telemetry;

public sealed class JobTraceTests
{
    private static readonly string[] Stages = ["decode", "resample", "inference", "postprocess", "contour", "write"];

    /// <summary>The embedded gateway with its traces also kept in memory.</summary>
    private sealed class TracedGateway(List<Activity> spans) : GatewayFactory
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureTestServices(services => services.ConfigureOpenTelemetryTracerProvider(t => t.AddInMemoryExporter(spans)));
        }
    }

    [Fact]
    public async Task AJobsStageSpansShareTheTraceOfTheRequestThatSubmittedIt()
    {
        var spans = new List<Activity>();
        await using var factory = new TracedGateway(spans);
        using var client = factory.Authorized();
        var submit = await client.PostAsync("/api/v1/models/PassThroughModel/segmentation", new ByteArrayContent(Phantoms.Zip(seed: 42)));
        Assert.Equal(HttpStatusCode.Created, submit.StatusCode);
        var id = JsonDocument.Parse(await submit.Content.ReadAsStringAsync()).RootElement.GetProperty("segmentationId").GetString();

        var deadline = DateTime.UtcNow.AddMinutes(2);
        string? state = null;
        while (DateTime.UtcNow < deadline && state != "completed")
        {
            await Task.Delay(200);
            var status = JsonDocument.Parse(await client.GetStringAsync($"/api/v1/models/PassThroughModel/segmentation/{id}")).RootElement;
            state = status.GetProperty("status").GetString();
        }
        Assert.Equal("completed", state);
        // The job's activity ends once its run returns, a moment after the completed state is written.
        var tracer = factory.Services.GetRequiredService<TracerProvider>();
        Activity[] kept = [];
        for (var wait = DateTime.UtcNow.AddSeconds(30); DateTime.UtcNow < wait; await Task.Delay(100))
        {
            Assert.True(tracer.ForceFlush(10_000));
            lock (spans) kept = [.. spans];
            if (kept.Any(a => a.OperationName == "segmentation job" && a.GetTagItem("innereye.segmentation_id") as string == id)) break;
        }
        // Other gateways of this test process share the activity sources: the job is found by its id, then its trace.
        var job = Assert.Single(kept, a => a.Source.Name == "InnerEye" && a.OperationName == "segmentation job"
            && a.GetTagItem("innereye.segmentation_id") as string == id);
        var trace = kept.Where(a => a.TraceId == job.TraceId).ToList();
        var request = Assert.Single(trace, a => a.Kind == ActivityKind.Server
            && a.OperationName.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal));
        Assert.Equal("/api/v1/models/PassThroughModel/segmentation", request.GetTagItem("url.path"));
        Assert.Equal("POST", request.GetTagItem("http.request.method"));
        foreach (var stage in Stages)
        {
            var span = Assert.Single(trace, a => a.Source.Name == "InnerEye" && a.OperationName == stage);
            Assert.True(span.Duration > TimeSpan.Zero, stage);
            Assert.Equal(ActivityStatusCode.Unset, span.Status);
        }
        // The grain calls between the request and the job carry the trace too.
        Assert.Contains(trace, a => a.Source.Name.StartsWith("Microsoft.Orleans", StringComparison.Ordinal)
            && a.DisplayName.Contains("Submit", StringComparison.Ordinal));
        // The status polls are not traced: the request's trace holds one HTTP request.
        Assert.DoesNotContain(kept, a => a.Kind == ActivityKind.Server && a.GetTagItem("url.path") is string path
            && path.EndsWith(id!, StringComparison.Ordinal));
    }
}
