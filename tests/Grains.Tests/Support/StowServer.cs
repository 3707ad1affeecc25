using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace InnerEye.Grains.Tests.Support;

/// <summary>A request the server received: what STOW-RS clients send.</summary>
public sealed record StowRequest(string Method, string Path, string? ContentType, IReadOnlyDictionary<string, string> Headers, byte[] Body);

/// <summary>
/// A local DICOMweb server (Kestrel on a free loopback port) that records every request and answers each with the next
/// of its planned responses, the last one repeated.
/// </summary>
public sealed class StowServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<StowRequest> _requests = new();
    private readonly (HttpStatusCode Status, string Body)[] _answers;
    private int _count;

    private StowServer(WebApplication app, (HttpStatusCode, string)[] answers)
    {
        _app = app;
        _answers = answers;
    }

    /// <summary>The base URL, ending in '/'.</summary>
    public string BaseUrl { get; private set; } = "";

    public IReadOnlyList<StowRequest> Requests => [.. _requests];

    public static Task<StowServer> StartAsync(params HttpStatusCode[] statuses) =>
        StartAsync(statuses.Select(s => (s, "")).ToArray());

    public static async Task<StowServer> StartAsync(params (HttpStatusCode Status, string Body)[] answers)
    {
        if (answers.Length == 0) answers = [(HttpStatusCode.OK, "")];
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var server = new StowServer(builder.Build(), answers);
        RunExtensions.Run(server._app, server.AnswerAsync);
        await server._app.StartAsync();
        var address = server._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.BaseUrl = address.TrimEnd('/') + "/dicom-web/";
        return server;
    }

    private async Task AnswerAsync(HttpContext context)
    {
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body);
        var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        _requests.Enqueue(new StowRequest(context.Request.Method, context.Request.Path, context.Request.ContentType, headers, body.ToArray()));
        var (status, text) = _answers[Math.Min(Interlocked.Increment(ref _count), _answers.Length) - 1];
        context.Response.StatusCode = (int)status;
        if (text.Length > 0)
        {
            context.Response.ContentType = "application/dicom+json";
            await context.Response.WriteAsync(text);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
