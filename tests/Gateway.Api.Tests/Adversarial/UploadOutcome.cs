namespace InnerEye.Gateway.Api.Tests.Adversarial;

/// <summary>The route family an upload went through.</summary>
public enum RouteFamily
{
    /// <summary><c>POST /v1/model/start/{modelId}</c>, polled on <c>GET /v1/model/results/{id}</c>.</summary>
    InnerEye,

    /// <summary><c>POST /api/v1/models/{modelId}/segmentation</c>, polled on its JSON status.</summary>
    Seed,
}

/// <summary>How an upload ended.</summary>
public enum UploadEnd
{
    /// <summary>The submit was answered with a 4xx: no job.</summary>
    Refused,
    Completed,
    Failed,
    Cancelled,

    /// <summary>Accepted, but not ended within the bound.</summary>
    Hung,

    /// <summary>The submit got no 201 and no 4xx, or a call got no answer at all.</summary>
    Broken,
}

/// <summary>
/// One upload through one route family: the submit's status, the job's end and failure code, whether a result zip came
/// back, and every response of 500 or more seen on the way.
/// </summary>
public sealed record UploadOutcome(HostileCase Case, RouteFamily Route, int SubmitStatus, string? Id, UploadEnd End, string? ErrorCode,
    string? Detail, bool GotResult, TimeSpan Elapsed, IReadOnlyList<string> ServerErrors)
{
    public override string ToString() =>
        $"{Case.Name} [{Route}] submit {SubmitStatus} → {End}{(ErrorCode is null ? "" : $" {ErrorCode}")}" +
        $"{(GotResult ? " with a result" : "")} in {Elapsed.TotalSeconds:0.0} s{(Detail is null ? "" : $": {Shorten(Detail)}")}";

    public static string Shorten(string text) => text.Length <= 200 ? text : text[..200] + "…";
}
