using System.Buffers;
using InnerEye.Gateway.Api.Hosting;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace InnerEye.Gateway.Api.Uploads;

/// <summary>
/// Before a response starts, reads and discards what is left of the request body, so that an answer given before the
/// body was read (401, 403, 404, 405, 413, 503) reaches a client that writes its whole body before reading: closing a
/// socket with unread data resets it, and the client sees a broken pipe instead of the status. The drain stops at
/// <see cref="ApiOptions.MaxDrainBytes"/> bytes or after <see cref="ApiOptions.DrainTimeout"/>; past either, and after a
/// 408, the answer goes with <c>Connection: close</c>. A body the client holds back for <c>Expect: 100-continue</c> is
/// not asked for.
/// </summary>
public sealed class UnreadBodyDrain(RequestDelegate next, IOptions<ApiOptions> options)
{
    private const int BufferBytes = 64 * 1024;

    public Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Request.ContentLength > 0 || context.Request.Headers.TransferEncoding.Count > 0)
            context.Response.OnStarting(() => DrainAsync(context));
        return next(context);
    }

    private async Task DrainAsync(HttpContext context)
    {
        var api = options.Value;
        var request = context.Request;
        var size = context.Features.Get<IHttpMaxRequestBodySizeFeature>();
        var bodyUntouched = size is { IsReadOnly: false };
        if (context.Response.StatusCode == StatusCodes.Status408RequestTimeout || request.ContentLength > api.MaxDrainBytes ||
            (bodyUntouched && request.Headers.Expect.ToString().Contains("100-continue", StringComparison.OrdinalIgnoreCase)))
        {
            Close(context);
            return;
        }
        if (bodyUntouched) size!.MaxRequestBodySize = null; // the drain's own bound applies, not Kestrel's default

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        deadline.CancelAfter(api.DrainTimeout);
        var buffer = ArrayPool<byte>.Shared.Rent(BufferBytes);
        try
        {
            long drained = 0;
            int n;
            while ((n = await request.Body.ReadAsync(buffer.AsMemory(0, BufferBytes), deadline.Token)) > 0)
            {
                drained += n;
                if (drained > api.MaxDrainBytes)
                {
                    Close(context);
                    return;
                }
            }
        }
        // InvalidOperationException: the body is not readable now (the in-process test server may be completing it).
        catch (Exception e) when (e is OperationCanceledException or IOException or BadHttpRequestException or InvalidOperationException)
        {
            Close(context);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static void Close(HttpContext context)
    {
        if (HttpProtocol.IsHttp11(context.Request.Protocol) || HttpProtocol.IsHttp10(context.Request.Protocol))
            context.Response.Headers.Connection = "close";
    }
}
