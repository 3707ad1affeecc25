using InnerEye.Inference;
using Microsoft.Extensions.Options;

namespace InnerEye.Grains.Hosting;

/// <summary>Refuses a start with <c>Inference</c> settings out of range, naming each setting.</summary>
public sealed class InferenceOptionsValidator : IValidateOptions<InferenceOptions>
{
    public ValidateOptionsResult Validate(string? name, InferenceOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return ValidatedOptions.Result(Problems(options));
    }

    private static IEnumerable<string> Problems(InferenceOptions options)
    {
        if (!Enum.IsDefined(options.Device)) yield return $"Inference:Device is '{options.Device}'; expected Auto, Cpu or Cuda.";
        if (options.CudaDeviceId < 0) yield return $"Inference:CudaDeviceId is {options.CudaDeviceId}; expected 0 or more.";
        if (options.CudaMemoryLimitBytes is <= 0)
            yield return $"Inference:CudaMemoryLimitBytes is {options.CudaMemoryLimitBytes}; expected 1 or more (unset: no limit).";
        if (options.IntraOpThreads < 0) yield return $"Inference:IntraOpThreads is {options.IntraOpThreads}; expected 0 (the default) or more.";
        if (options.InterOpThreads < 0) yield return $"Inference:InterOpThreads is {options.InterOpThreads}; expected 0 (the default) or more.";
    }
}
