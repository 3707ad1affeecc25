using Microsoft.ML.OnnxRuntime;

namespace InnerEye.Inference.Nnunet.Import;

/// <summary>One input or output of an ONNX graph: its element type and dimensions (−1 where an axis is symbolic).</summary>
public sealed record OnnxTensorSignature(string Name, Type ElementType, int[] Dimensions);

/// <summary>The inputs and outputs of an ONNX file, as ONNX Runtime reads them.</summary>
public sealed record OnnxSignature(string Path, IReadOnlyList<OnnxTensorSignature> Inputs, IReadOnlyList<OnnxTensorSignature> Outputs)
{
    /// <summary>Opens the file in a CPU session (without graph optimisation: only the signature is wanted).</summary>
    /// <exception cref="NnUnetImportException">ModelFileCorrupt: ONNX Runtime cannot load the file.</exception>
    public static OnnxSignature Read(string path)
    {
        try
        {
            using var options = new SessionOptions
            {
                GraphOptimizationLevel = GraphOptimizationLevel.ORT_DISABLE_ALL,
                LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR,
            };
            using var session = new InferenceSession(path, options);
            return new OnnxSignature(path, Tensors(session.InputMetadata), Tensors(session.OutputMetadata));
        }
        catch (OnnxRuntimeException e)
        {
            throw new NnUnetImportException("ModelFileCorrupt", path, "", $"cannot be loaded by ONNX Runtime: {e.Message.Split('\n')[0]}", e);
        }
    }

    private static List<OnnxTensorSignature> Tensors(IReadOnlyDictionary<string, NodeMetadata> metadata) =>
        [.. metadata.Select(m => new OnnxTensorSignature(m.Key, m.Value.ElementType, [.. m.Value.Dimensions]))];
}
