using InnerEye.Grains;

namespace InnerEye.Gateway.Api.Routes;

/// <summary>
/// A failed job's answer on each route family, from its recorded code: the upload's faults are 4xx, the service's 500.
/// </summary>
public static class FailureResponses
{
    /// <summary>The InnerEye results route: 400 with <c>InvalidZipFile</c> (what the gateway reads) or 500.</summary>
    public static IResult InnerEye(SegmentationStatus status)
    {
        var code = status.ErrorCode ?? FailureCodes.Unknown;
        return FailureClassifier.IsInputFault(code)
            ? ApiErrors.Result(StatusCodes.Status400BadRequest, "InvalidInput", $"{code}: {status.ErrorDetail}", ApiErrors.InvalidZipFile)
            : ApiErrors.Result(StatusCodes.Status500InternalServerError, "InternalError", $"{code}: {status.ErrorDetail}");
    }

    /// <summary>The service's own result route: 422 or 500, titled with the failure code.</summary>
    public static IResult Seed(SegmentationStatus status)
    {
        var code = status.ErrorCode ?? FailureCodes.Unknown;
        return FailureClassifier.IsInputFault(code)
            ? ApiErrors.Result(StatusCodes.Status422UnprocessableEntity, code, status.ErrorDetail ?? "", code)
            : ApiErrors.Result(StatusCodes.Status500InternalServerError, code, status.ErrorDetail ?? "", code);
    }
}
