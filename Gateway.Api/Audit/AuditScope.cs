using InnerEye.Grains;

namespace InnerEye.Gateway.Api.Audit;

/// <summary>
/// What an audited request's record will say, filled in by the route as it learns it (the job, the study, the bytes)
/// and written by <see cref="AuditMiddleware"/> just before the response starts.
/// </summary>
public sealed class AuditScope(string action)
{
    private const string Item = "InnerEye.Audit";

    public string Action { get; set; } = action;

    /// <summary>The model as requested (<c>Id</c> or <c>Id:Version</c>).</summary>
    public string? ModelId { get; set; }

    public string? SegmentationId { get; set; }

    public string? StudyHash { get; set; }

    /// <summary>Set where the count is not the request body read (<see cref="Body"/>) or the response's Content-Length.</summary>
    public long? Bytes { get; set; }

    /// <summary>The upload as read off the request; its position is the request body bytes read.</summary>
    public Stream? Body { get; set; }

    /// <summary>Set where it is not <c>ok</c> for a success and the error's title otherwise.</summary>
    public string? Outcome { get; set; }

    /// <summary>The job the request touched: its id, its model and its study hash.</summary>
    public void Job(SegmentationStatus status)
    {
        ArgumentNullException.ThrowIfNull(status);
        SegmentationId = status.SegmentationId;
        ModelId = status.ModelId;
        StudyHash = status.StudyHash ?? StudyHash;
    }

    /// <summary>The request's scope; a throw-away one for a request that is not audited, so routes need not check.</summary>
    public static AuditScope Of(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Items.TryGetValue(Item, out var scope) && scope is AuditScope s ? s : new AuditScope("none");
    }

    internal static void Attach(HttpContext context, AuditScope scope) => context.Items[Item] = scope;
}

/// <summary>Endpoint metadata: requests to this endpoint leave an audit record of the action.</summary>
public sealed record AuditedEndpoint(string Action);

public static class AuditedEndpoints
{
    public static TBuilder Audited<TBuilder>(this TBuilder builder, string action) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new AuditedEndpoint(action));
}
