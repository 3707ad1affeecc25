using System.Reflection;
using InnerEye.Imaging;
using InnerEye.Inference;

namespace InnerEye.Grains;

/// <summary>What a failure means for the job that met it.</summary>
public enum FailureKind
{
    /// <summary>Retried: a lost silo, a failed call, a missing GPU provider.</summary>
    Transient,

    /// <summary>The upload is at fault (HTTP 4xx); the job fails at once.</summary>
    Input,

    /// <summary>The service is at fault in a way a retry cannot mend (a model missing, a codec not installed); fails at once, HTTP 500.</summary>
    Service,
}

/// <summary>A failure as a job records it.</summary>
public sealed record ClassifiedFailure(FailureKind Kind, string Code, string Message);

/// <summary>
/// The one place that tells input faults from service faults and transient ones: by exception type, looking through
/// the wrappers that parallel, async and reflective code put around an error; and, for a recorded failure, by code.
/// </summary>
public static class FailureClassifier
{
    public static ClassifiedFailure Classify(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var causes = Causes(exception).ToList();
        var known = causes.Select(Known).OfType<ClassifiedFailure>().ToList();
        return known.FirstOrDefault(f => f.Kind == FailureKind.Input)
               ?? known.FirstOrDefault(f => f.Kind == FailureKind.Service)
               ?? known.FirstOrDefault()
               ?? new ClassifiedFailure(FailureKind.Transient, FailureCodes.Unknown, $"{causes[0].GetType().Name}: {causes[0].Message}");
    }

    /// <summary>Whether a recorded failure code is the upload's fault (4xx) rather than the service's (500).</summary>
    public static bool IsInputFault(string? code) =>
        code is not null && (InferenceErrorCodes.InputFaults.Contains(code) ||
                             (ImagingErrorCodes.All.Contains(code) && !ImagingErrorCodes.ServiceFaults.Contains(code)));

    private static ClassifiedFailure? Known(Exception e) => e switch
    {
        ImagingException i => new ClassifiedFailure(ImagingErrorCodes.ServiceFaults.Contains(i.Code) ? FailureKind.Service : FailureKind.Input,
            i.Code, i.Message),
        ExecutionProviderUnavailableException i => new ClassifiedFailure(FailureKind.Transient, i.Code, i.Message),
        InferenceException i => new ClassifiedFailure(InferenceErrorCodes.InputFaults.Contains(i.Code) ? FailureKind.Input : FailureKind.Service,
            i.Code, i.Message),
        _ => null,
    };

    /// <summary>The exception and, for the wrappers of other code's errors, every error inside, depth first.</summary>
    private static IEnumerable<Exception> Causes(Exception e)
    {
        yield return e;
        var inner = e switch
        {
            AggregateException a => a.InnerExceptions,
            TargetInvocationException or TypeInitializationException when e.InnerException is not null => [e.InnerException],
            _ => (IReadOnlyList<Exception>)[],
        };
        foreach (var cause in inner.SelectMany(Causes)) yield return cause;
    }
}
