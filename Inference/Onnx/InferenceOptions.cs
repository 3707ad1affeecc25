namespace InnerEye.Inference;

/// <summary>Where the network runs.</summary>
public enum InferenceDevice
{
    /// <summary>CUDA when a GPU and the CUDA libraries are there, otherwise the CPU.</summary>
    Auto,
    Cpu,
    /// <summary>CUDA only: a machine without it refuses to load models.</summary>
    Cuda,
}

/// <summary>How ONNX Runtime sessions are created: execution provider and thread pools.</summary>
public sealed record InferenceOptions
{
    public InferenceDevice Device { get; init; } = InferenceDevice.Auto;

    /// <summary>The CUDA device ordinal.</summary>
    public int CudaDeviceId { get; init; }

    /// <summary>The CUDA memory arena's limit (gpu_mem_limit) in bytes; null for ONNX Runtime's default (no limit).</summary>
    public long? CudaMemoryLimitBytes { get; init; }

    /// <summary>Threads within one operator; 0 for ONNX Runtime's default (one per physical core).</summary>
    public int IntraOpThreads { get; init; }

    /// <summary>Threads across independent operators; 0 for ONNX Runtime's default.</summary>
    public int InterOpThreads { get; init; }
}
