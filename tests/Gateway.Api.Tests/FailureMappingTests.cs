using System.Text.Json;
using InnerEye.Gateway.Api.Routes;
using InnerEye.Grains;
using InnerEye.Imaging;
using InnerEye.Inference;
using Microsoft.AspNetCore.Http;

namespace InnerEye.Gateway.Api.Tests;

/// <summary>Every failure code the service, Imaging and Inference can record gets its answer on both route families.</summary>
public sealed class FailureMappingTests
{
    public static TheoryData<string> EveryCode()
    {
        var data = new TheoryData<string>();
        foreach (var code in ImagingErrorCodes.All.Concat(InferenceErrorCodes.All)
                     .Concat([FailureCodes.TransientFaultsExhausted, FailureCodes.NoModelSilo, FailureCodes.InputMissing, FailureCodes.Unknown])
                     .Distinct().Order(StringComparer.Ordinal))
        {
            data.Add(code);
        }

        return data;
    }

    [SkippableTheory]
    [MemberData(nameof(EveryCode))]
    public async Task AFailedJobIsAnsweredByWhoseFaultItWas(string code)
    {
        var input = ImagingErrorCodes.All.Contains(code) ? !ImagingErrorCodes.ServiceFaults.Contains(code)
            : InferenceErrorCodes.InputFaults.Contains(code);
        var status = new SegmentationStatus("0123456789abcdef0123456789abcdef", "PassThroughModel", JobState.Failed, null, 0, code, "what went wrong",
            DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, null, []);

        var (innerEye, innerEyeBody) = await ExecuteAsync(FailureResponses.InnerEye(status), "/v1/model/results/x");
        Assert.Equal(input ? 400 : 500, innerEye);
        Assert.Contains(code, innerEyeBody.GetProperty("detail").GetString());
        if (input) Assert.Equal(ApiErrors.InvalidZipFile, innerEyeBody.GetProperty("extra_details").GetString());

        var (seed, seedBody) = await ExecuteAsync(FailureResponses.Seed(status), "/api/v1/models/PassThroughModel/segmentation/x/result");
        Assert.Equal(input ? 422 : 500, seed);
        Assert.Equal(code, seedBody.GetProperty("title").GetString());
        Assert.Equal("what went wrong", seedBody.GetProperty("detail").GetString());
    }

    private static async Task<(int Status, JsonElement Body)> ExecuteAsync(IResult result, string path)
    {
        var context = new DefaultHttpContext();
        context.Request.Path = path;
        context.Response.Body = new MemoryStream();
        await result.ExecuteAsync(context);
        context.Response.Body.Position = 0;
        return (context.Response.StatusCode, JsonDocument.Parse(context.Response.Body).RootElement.Clone());
    }
}
