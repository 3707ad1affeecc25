namespace InnerEye.Gateway.Api.Jobs;

/// <summary>No replica of the model can take a job now (queues full, or no silo to run it): 503 with Retry-After.</summary>
public sealed class QueueFullException(string message) : Exception(message);
