using InnerEye.Inference.Tests.Support;
using Microsoft.ML.OnnxRuntime;
using Xunit.Abstractions;

namespace InnerEye.Inference.Tests;

public sealed class OnnxModelSessionTests(ITestOutputHelper output)
{
    private static float Sigmoid(float x) => 1f / (1f + MathF.Exp(-x));

    [SkippableFact]
    public void AutoUsesCudaWhereItCanAndTheCpuOtherwiseAndSaysWhich()
    {
        var logger = new ListLogger();
        using var session = OnnxModelSession.Create(TestModels.Config(), new InferenceOptions { Device = InferenceDevice.Auto }, logger);
        foreach (var m in logger.Messages) output.WriteLine(m);
        output.WriteLine($"Available providers: {string.Join(", ", OrtEnv.Instance().GetAvailableProviders())}");
        Assert.Contains(session.Device, new[] { InferenceDevice.Cpu, InferenceDevice.Cuda });
        var message = Assert.Single(logger.Messages);
        Assert.Contains(session.Device == InferenceDevice.Cuda ? "running on CUDA device 0" : "running on the CPU", message);
        if (session.Device == InferenceDevice.Cpu) Assert.Contains("CUDA is not available", message);
    }

    [SkippableFact]
    public void CudaOnlyFailsWithATypedErrorWhereCudaCannotBeUsed()
    {
        using (var probe = OnnxModelSession.Create(TestModels.Config(), new InferenceOptions()))
            Skip.If(probe.Device == InferenceDevice.Cuda, "CUDA is available here: there is nothing to refuse.");
        var e = Assert.Throws<ExecutionProviderUnavailableException>(() =>
            OnnxModelSession.Create(TestModels.Config(), new InferenceOptions { Device = InferenceDevice.Cuda, CudaMemoryLimitBytes = 1L << 30 }));
        Assert.Equal("ExecutionProviderUnavailable", e.Code);
        Assert.Contains("CUDA execution provider (device 0) cannot be used", e.Message);
    }

    [SkippableFact]
    public void RunReadsTheInputInPlaceAndReturnsTheOutputTensor()
    {
        using var session = OnnxModelSession.Create(TestModels.Config(), new InferenceOptions { Device = InferenceDevice.Cpu, IntraOpThreads = 1 });
        Assert.Equal(InferenceDevice.Cpu, session.Device);
        Assert.Equal([1L, 1, -1, -1, -1], session.InputShape);
        // A pooled buffer is longer than the tensor: only the first 2·3·4 values are the input.
        var buffer = new float[100];
        for (var i = 0; i < 24; i++) buffer[i] = (i - 12) / 10f;
        using var result = session.Run(buffer.AsMemory(0, 24), [1, 1, 2, 3, 4]);
        Assert.Equal([1L, 2, 2, 3, 4], result.Shape);
        var data = result.Data;
        for (var i = 0; i < 24; i++)
        {
            Assert.Equal(Sigmoid(10 * buffer[i]), data[24 + i], 5);
            Assert.Equal(1 - Sigmoid(10 * buffer[i]), data[i], 5);
        }
    }

    [SkippableFact]
    public async Task ConcurrentRunsOnOneSessionEachGetTheirOwnResult()
    {
        using var sessions = new ModelSessionCache(new InferenceOptions { Device = InferenceDevice.Cpu });
        var model = TestModels.Config();
        var session = sessions.Get(model);
        Assert.Same(session, sessions.Get(model));
        var tasks = Enumerable.Range(0, 16).Select(t => Task.Run(() =>
        {
            var input = Enumerable.Range(0, 512).Select(i => (float)Math.Sin(i * 0.1 + t)).ToArray();
            for (var repeat = 0; repeat < 5; repeat++)
            {
                using var result = session.Run(input, [1, 1, 8, 8, 8]);
                var data = result.Data;
                for (var i = 0; i < 512; i++)
                {
                    if (Math.Abs(data[512 + i] - Sigmoid(10 * input[i])) > 1e-5) return false;
                }
            }
            return true;
        })).ToArray();
        Assert.All(await Task.WhenAll(tasks), Assert.True);
    }

    [SkippableFact]
    public void AnAlreadyCancelledTokenRunsNothing()
    {
        using var session = OnnxModelSession.Create(TestModels.Config(), new InferenceOptions { Device = InferenceDevice.Cpu });
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        Assert.Throws<OperationCanceledException>(() => session.Run(new float[8], [1, 1, 2, 2, 2], cts.Token));
    }

    [SkippableFact]
    public void CancellingTerminatesARunInsideOnnxRuntime()
    {
        // One intra-op thread leaves a core for the canceller: ONNX Runtime's spinning workers on every core can hold
        // it off until the run is over.
        using var session = OnnxModelSession.Create(TestModels.Config("slow.onnx"),
            new InferenceOptions { Device = InferenceDevice.Cpu, IntraOpThreads = 1 });
        // 40 box filters over 8 million voxels: seconds of work, stopped between two of its nodes.
        const int n = 200;
        var input = new float[n * n * n];
        var full = System.Diagnostics.Stopwatch.StartNew();
        session.Run(input, [1, 1, n, n, n]).Dispose();
        full.Stop();

        // Cancelled from a thread of its own: a timer's callback waits for a thread-pool thread, and a busy test run can
        // starve the pool for longer than the whole run.
        using var cts = new CancellationTokenSource();
        var canceller = new Thread(() =>
        {
            Thread.Sleep(20);
            cts.Cancel();
        });
        canceller.IsBackground = true;
        canceller.Start();
        var cancelled = System.Diagnostics.Stopwatch.StartNew();
        var e = Assert.ThrowsAny<OperationCanceledException>(() => session.Run(input, [1, 1, n, n, n], cts.Token));
        cancelled.Stop();
        canceller.Join();
        Assert.Equal(cts.Token, e.CancellationToken);
        Assert.IsType<OnnxRuntimeException>(e.InnerException); // stopped inside ONNX Runtime, by its terminate flag
        Assert.True(cancelled.Elapsed < full.Elapsed / 2, $"the cancelled run took {cancelled.Elapsed}, a whole run {full.Elapsed}");

        // The session is still usable afterwards.
        using var result = session.Run(new float[27], [1, 1, 3, 3, 3]);
        Assert.Equal(54, result.Data.Length);
    }

    [SkippableFact]
    public void AFailingRunIsATypedErrorNamingTheShape()
    {
        using var session = OnnxModelSession.Create(TestModels.Config("fixed_shape.onnx", patch: [8, 8, 8]),
            new InferenceOptions { Device = InferenceDevice.Cpu });
        var e = Assert.Throws<InferenceException>(() => session.Run(new float[27], [1, 1, 3, 3, 3]));
        Assert.Contains("[1, 1, 3, 3, 3]", e.Message);
    }
}
