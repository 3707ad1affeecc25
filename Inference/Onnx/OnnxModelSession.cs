using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.ML.OnnxRuntime;

namespace InnerEye.Inference;

/// <summary>
/// One model's ONNX Runtime session on one device. <see cref="Run"/> is thread-safe: concurrent calls share the
/// session (ONNX Runtime allows concurrent Run on one InferenceSession), each with its own RunOptions.
/// </summary>
public sealed class OnnxModelSession : IPatchPredictor, IDisposable
{
    private readonly InferenceSession _session;
    private readonly string[] _inputNames;
    private readonly string[] _outputNames;

    private OnnxModelSession(InferenceSession session, ModelConfig model, InferenceDevice device, string path)
    {
        Path = path;
        _session = session;
        Model = model;
        Device = device;
        _inputNames = [model.OnnxInput];
        _outputNames = [model.OnnxOutput];
        InputShape = [.. session.InputMetadata[model.OnnxInput].Dimensions.Select(d => (long)d)];
        OutputShape = [.. session.OutputMetadata[model.OnnxOutput].Dimensions.Select(d => (long)d)];
    }

    public ModelConfig Model { get; }

    /// <summary>The ONNX file this session runs (one of an ensemble's).</summary>
    public string Path { get; }

    /// <summary>Whether the network takes any number of patches per run.</summary>
    public bool DynamicBatch => InputShape[0] < 0;

    /// <summary>The device the session actually runs on: <see cref="InferenceDevice.Cpu"/> or <see cref="InferenceDevice.Cuda"/>.</summary>
    public InferenceDevice Device { get; }

    /// <summary>The network input's shape [1, C, Z, Y, X]; −1 on dynamic axes.</summary>
    public IReadOnlyList<long> InputShape { get; }

    /// <summary>The network output's shape [1, K + 1, Z, Y, X]; −1 on dynamic axes.</summary>
    public IReadOnlyList<long> OutputShape { get; }

    /// <summary>
    /// The spatial patch size [z, y, x] the network is fed: the configured patch size where it is not 0, the input's
    /// fixed size where the network fixes one, and 0 (whole extent) otherwise.
    /// </summary>
    public int[] FixedInputSize => [.. Enumerable.Range(0, 3).Select(a => InputShape[a + 2] > 0 ? (int)InputShape[a + 2] : 0)];

    /// <summary>
    /// Creates the session for <paramref name="model"/>. Auto tries CUDA and falls back to the CPU (logging which);
    /// Cuda fails with <see cref="ExecutionProviderUnavailableException"/> when it cannot be used.
    /// </summary>
    /// <exception cref="ModelLoadException">The ONNX file is missing, not a model, or has other inputs or outputs than configured.</exception>
    public static OnnxModelSession Create(ModelConfig model, InferenceOptions options, ILogger? logger = null, string? onnxPath = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        logger ??= NullLogger.Instance;
        var path = onnxPath ?? model.OnnxPath;
        if (!File.Exists(path))
            throw new ModelLoadException("ModelFileMissing", path, $"Model '{model.Id}': ONNX file {path} does not exist.");

        InferenceSession? session = null;
        var device = InferenceDevice.Cpu;
        if (options.Device is InferenceDevice.Auto or InferenceDevice.Cuda)
        {
            try
            {
                session = CreateCudaSession(path, options);
                device = InferenceDevice.Cuda;
                logger.LogInformation("Model {Model}: running on CUDA device {DeviceId}.", model.FullId, options.CudaDeviceId);
            }
            catch (Exception e) when (options.Device == InferenceDevice.Auto && IsProviderFailure(e))
            {
                logger.LogInformation("Model {Model}: CUDA is not available ({Reason}); running on the CPU.", model.FullId, FirstLine(e.Message));
            }
            catch (Exception e) when (IsProviderFailure(e))
            {
                // A CUDA session that fails where a CPU one loads is a CUDA problem; otherwise the file is at fault.
                if (!CpuLoads(path, options))
                    throw new ModelLoadException("ModelFileCorrupt", path,
                        $"Model '{model.Id}': ONNX Runtime cannot load {path}: {FirstLine(e.Message)}", e);
                throw new ExecutionProviderUnavailableException(
                    $"Model '{model.Id}': the CUDA execution provider (device {options.CudaDeviceId}) cannot be used: {FirstLine(e.Message)}", e);
            }
        }
        if (session is null)
        {
            try
            {
                session = CreateCpuSession(path, options);
            }
            catch (OnnxRuntimeException e)
            {
                throw new ModelLoadException("ModelFileCorrupt", path, $"Model '{model.Id}': ONNX Runtime cannot load {path}: {FirstLine(e.Message)}",
                    e);
            }
            if (options.Device == InferenceDevice.Cpu) logger.LogInformation("Model {Model}: running on the CPU.", model.FullId);
        }

        try
        {
            CheckSignature(session, model, path);
            return new OnnxModelSession(session, model, device, path);
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Runs the network on one input tensor, read in place from <paramref name="input"/> (no copy), of shape
    /// <paramref name="shape"/> ([1, C, Z, Y, X]). Cancelling the token terminates the run inside ONNX Runtime.
    /// </summary>
    /// <returns>The output tensor, to be read with <see cref="PatchOutput.Data"/> and then disposed.</returns>
    public PatchOutput Run(Memory<float> input, long[] shape, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(shape);
        cancellationToken.ThrowIfCancellationRequested();
        using var runOptions = new RunOptions();
        using var value = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, input, shape);
        IDisposableReadOnlyCollection<OrtValue> outputs;
        using (cancellationToken.Register(static o => ((RunOptions)o!).Terminate = true, runOptions))
        {
            try
            {
                outputs = _session.Run(runOptions, _inputNames, [value], _outputNames);
            }
            catch (OnnxRuntimeException e) when (cancellationToken.IsCancellationRequested)
            {
                throw new OperationCanceledException($"Model '{Model.FullId}': the run was cancelled.", e, cancellationToken);
            }
            catch (OnnxRuntimeException e)
            {
                throw new InferenceException("InferenceFailed",
                    $"Model '{Model.FullId}' failed on an input of shape [{string.Join(", ", shape)}]: {FirstLine(e.Message)}", e);
            }
        }
        if (cancellationToken.IsCancellationRequested)
        {
            // Cancelled after ONNX Runtime's last check of the terminate flag: the run completed, but a cancelled run
            // never hands back a result.
            outputs.Dispose();
            throw new OperationCanceledException($"Model '{Model.FullId}': the run was cancelled.", cancellationToken);
        }
        return new PatchOutput(outputs);
    }

    IPatchResult IPatchPredictor.Predict(Memory<float> input, long[] shape, CancellationToken cancellationToken) =>
        Run(input, shape, cancellationToken);

    public void Dispose() => _session.Dispose();

    private static InferenceSession CreateCudaSession(string path, InferenceOptions options)
    {
        using var cuda = new OrtCUDAProviderOptions();
        var settings = new Dictionary<string, string> { ["device_id"] = options.CudaDeviceId.ToString(CultureInfo.InvariantCulture) };
        if (options.CudaMemoryLimitBytes is { } limit) settings["gpu_mem_limit"] = limit.ToString(CultureInfo.InvariantCulture);
        cuda.UpdateOptions(settings);
        using var sessionOptions = BaseOptions(options);
        sessionOptions.AppendExecutionProvider_CUDA(cuda);
        return new InferenceSession(path, sessionOptions);
    }

    private static InferenceSession CreateCpuSession(string path, InferenceOptions options)
    {
        using var sessionOptions = BaseOptions(options);
        return new InferenceSession(path, sessionOptions);
    }

    /// <summary>
    /// How a CUDA session fails where CUDA cannot be used: ONNX Runtime cannot load the provider library (or it finds no
    /// device), or, with a CPU-only build of ONNX Runtime, the provider's entry point is missing.
    /// </summary>
    private static bool IsProviderFailure(Exception e) => e is OnnxRuntimeException or DllNotFoundException or EntryPointNotFoundException;

    private static bool CpuLoads(string path, InferenceOptions options)
    {
        try
        {
            using var s = CreateCpuSession(path, options);
            return true;
        }
        catch (OnnxRuntimeException)
        {
            return false;
        }
    }

    private static SessionOptions BaseOptions(InferenceOptions options)
    {
        var s = new SessionOptions
        {
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR,
        };
        if (options.IntraOpThreads > 0) s.IntraOpNumThreads = options.IntraOpThreads;
        if (options.InterOpThreads > 0) s.InterOpNumThreads = options.InterOpThreads;
        return s;
    }

    private static void CheckSignature(InferenceSession session, ModelConfig model, string path)
    {
        var where = $"Model '{model.Id}' ({path})";
        if (!session.InputMetadata.TryGetValue(model.OnnxInput, out var input))
        {
            throw new ModelLoadException("ModelSignatureMismatch", path,
                $"{where}: onnxInput '{model.OnnxInput}' is not an input of the network; its inputs are " +
                $"{string.Join(", ", session.InputMetadata.Keys)}.");
        }

        if (!session.OutputMetadata.TryGetValue(model.OnnxOutput, out var output))
        {
            throw new ModelLoadException("ModelSignatureMismatch", path,
                $"{where}: onnxOutput '{model.OnnxOutput}' is not an output of the network; its outputs are " +
                $"{string.Join(", ", session.OutputMetadata.Keys)}.");
        }

        if (input.ElementType != typeof(float) || output.ElementType != typeof(float))
            throw new ModelLoadException("ModelSignatureMismatch", path, $"{where}: input and output must be float32 tensors.");
        if (input.Dimensions.Length != 5 || output.Dimensions.Length != 5)
        {
            throw new ModelLoadException("ModelSignatureMismatch", path,
                $"{where}: input and output must have 5 dimensions [1, C, Z, Y, X]; they have {input.Dimensions.Length} and " +
                $"{output.Dimensions.Length}.");
        }

        if (input.Dimensions[1] > 0 && input.Dimensions[1] != model.InputChannels.Count)
        {
            throw new ModelLoadException("ModelSignatureMismatch", path,
                $"{where}: the network takes {input.Dimensions[1]} input channels but inputChannels lists {model.InputChannels.Count}.");
        }

        if (output.Dimensions[1] > 0 && output.Dimensions[1] != model.OutputChannels)
        {
            throw new ModelLoadException("ModelSignatureMismatch", path, model.Output.Activation == OutputActivation.Sigmoid
                ? $"{where}: the network returns {output.Dimensions[1]} channels but structures lists {model.Structures.Count} regions."
                : $"{where}: the network returns {output.Dimensions[1]} classes but structures lists {model.Structures.Count} (plus background = " +
                $"{model.ClassCount}).");
        }

        if (model.DynamicBatch == true && input.Dimensions[0] > 0)
        {
            throw new ModelLoadException("ModelSignatureMismatch", path,
                $"{where}: onnxDynamicBatch is true but the network's batch axis is fixed at {input.Dimensions[0]}.");
        }

        string[] axes = ["z", "y", "x"];
        for (var a = 0; a < 3; a++)
        {
            var fixedSize = input.Dimensions[a + 2];
            var patch = model.Preprocessing.PatchSize[a];
            if (fixedSize > 0 && patch != 0 && patch != fixedSize)
            {
                throw new ModelLoadException("ModelSignatureMismatch", path,
                    $"{where}: preprocessing.patchSize {axes[a]} is {patch} but the network's input is fixed at {fixedSize} on that axis.");
            }
        }
    }

    private static string FirstLine(string message)
    {
        var line = message.Split('\n', 2)[0].Trim();
        return line.Length > 600 ? line[..600] + "…" : line;
    }
}

/// <summary>The output tensor of one run, owned by ONNX Runtime until disposed.</summary>
public sealed class PatchOutput : IPatchResult
{
    private readonly IDisposableReadOnlyCollection<OrtValue> _outputs;

    internal PatchOutput(IDisposableReadOnlyCollection<OrtValue> outputs) => _outputs = outputs;

    /// <summary>The tensor's values, read in place.</summary>
    public ReadOnlySpan<float> Data => _outputs[0].GetTensorDataAsSpan<float>();

    public long[] Shape => _outputs[0].GetTensorTypeAndShape().Shape;

    public void Dispose() => _outputs.Dispose();
}
