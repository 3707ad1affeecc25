using InnerEye.Gateway.Api.Jobs;
using InnerEye.Gateway.Api.Uploads;
using InnerEye.Imaging;
using InnerEye.Inference;

namespace InnerEye.Gateway.Api.Routes;

/// <summary>The typed failures of a submit, as responses; null for anything else (which is a fault of ours).</summary>
public static class SubmitErrors
{
    public static IResult? ToResult(Exception e, int retryAfterSeconds) => e switch
    {
        ModelNotFoundException or ModelVersionMismatchException =>
            ApiErrors.Result(StatusCodes.Status404NotFound, "ModelNotFound", e.Message, ApiErrors.InvalidModelId),
        QueueFullException => new RetryAfterResult(retryAfterSeconds,
            ApiErrors.Result(StatusCodes.Status503ServiceUnavailable, "ServiceBusy", e.Message)),
        UploadTimeoutException => ApiErrors.Result(StatusCodes.Status408RequestTimeout, "UploadTimeout", e.Message),
        UploadTooLargeException => ApiErrors.Result(StatusCodes.Status413RequestEntityTooLarge, "UploadTooLarge", e.Message),
        BadHttpRequestException { StatusCode: StatusCodes.Status413RequestEntityTooLarge } =>
            ApiErrors.Result(StatusCodes.Status413RequestEntityTooLarge, "UploadTooLarge", e.Message),
        BadHttpRequestException => ApiErrors.Result(StatusCodes.Status400BadRequest, "InvalidUpload", e.Message),
        InvalidUploadException => ApiErrors.Result(StatusCodes.Status400BadRequest, "InvalidUpload", e.Message),
        InvalidDataException => ApiErrors.Result(StatusCodes.Status400BadRequest, "InvalidUpload", $"The upload is malformed: {e.Message}"),
        ImagingException i => ApiErrors.Result(StatusCodes.Status400BadRequest, i.Code, i.Message, ApiErrors.InvalidZipFile),
        _ => null,
    };

    private sealed class RetryAfterResult(int seconds, IResult inner) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return inner.ExecuteAsync(httpContext);
        }
    }
}
