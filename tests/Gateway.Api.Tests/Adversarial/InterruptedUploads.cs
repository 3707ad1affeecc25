using System.Net;
using System.Net.Http.Headers;

namespace InnerEye.Gateway.Api.Tests.Adversarial;

/// <summary>
/// Uploads that stop half-way: the client drops the connection, or the server is killed while it writes the upload.
/// Each waits until the server has begun writing (a temporary file is in the storage folder) before it interrupts.
/// </summary>
public static class InterruptedUploads
{
    private const int DeclaredLength = 8 << 20, SentLength = 256 << 10;

    /// <summary>Sends part of an upload, then drops the connection; returns the temporary files seen while it was written.</summary>
    public static async Task<IReadOnlyList<string>> AbortAsync(HttpClient client, string storage, RouteFamily route)
    {
        var before = TemporaryFiles(storage);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var post = PostAsync(client, route, release.Task);
        var seen = await WaitForTemporaryFilesAsync(storage, before);
        release.TrySetCanceled();
        await Swallow(post);
        return seen;
    }

    /// <summary>Sends part of an upload, then runs <paramref name="kill"/> (which ends the server) while the server writes it.</summary>
    public static async Task<IReadOnlyList<string>> KillDuringAsync(HttpClient client, string storage, Func<Task> kill)
    {
        var before = TemporaryFiles(storage);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var post = PostAsync(client, RouteFamily.InnerEye, release.Task);
        var seen = await WaitForTemporaryFilesAsync(storage, before);
        await kill();
        release.TrySetCanceled();
        await Swallow(post);
        return seen;
    }

    private static Task<HttpResponseMessage> PostAsync(HttpClient client, RouteFamily route, Task release)
    {
        var content = new StalledContent(new byte[SentLength], DeclaredLength, release);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/zip");
        var path = route == RouteFamily.InnerEye ? $"/v1/model/start/{UploadDriver.InnerEyeModel}"
            : $"/api/v1/models/{UploadDriver.SeedModel}/segmentation";
        return client.PostAsync(path, content);
    }

    private static HashSet<string> TemporaryFiles(string storage) =>
        [.. Directory.EnumerateFiles(storage, "*" + StorageAudit.TempSuffix, SearchOption.AllDirectories)];

    /// <summary>The temporary files that were not there <paramref name="before"/>, once there is one.</summary>
    private static async Task<IReadOnlyList<string>> WaitForTemporaryFilesAsync(string storage, HashSet<string> before)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            var temporary = TemporaryFiles(storage).Except(before).ToList();
            if (temporary.Count > 0) return temporary;
            await Task.Delay(50);
        }
        throw new TimeoutException("The server wrote no temporary file for an upload in 30 s.");
    }

    private static async Task Swallow(Task<HttpResponseMessage> post)
    {
        try
        {
            (await post).Dispose();
        }
        catch (HttpRequestException)
        {
        }
        catch (TaskCanceledException)
        {
        }
    }

    /// <summary>A body that sends its first bytes at once and the rest never: it fails when <paramref name="release"/> is cancelled.</summary>
    private sealed class StalledContent(byte[] head, long declaredLength, Task release) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            await stream.WriteAsync(head);
            await stream.FlushAsync();
            await release;
        }

        protected override bool TryComputeLength(out long length)
        {
            length = declaredLength;
            return true;
        }
    }
}
