using System.Reflection;
using System.Text.RegularExpressions;
using InnerEye.Imaging;
using InnerEye.Inference;

namespace InnerEye.Grains.Tests;

/// <summary>Failures are told apart by type, through every wrapper, and every code the libraries raise is catalogued.</summary>
public sealed partial class FailureClassifierTests
{
    [SkippableFact]
    public void AnImagingErrorIsAnInputFaultHoweverItIsWrapped()
    {
        var error = new ImagingException("CorruptEntry", "Zip entry 'ct/3' is damaged.");
        Exception[] wrapped =
        [
            error,
            new AggregateException(error),
            new AggregateException(new AggregateException(new OperationCanceledException(), error)),
            new TargetInvocationException(new AggregateException(error)),
            new AggregateException(new InvalidOperationException("a lost call"), error),
        ];
        foreach (var e in wrapped)
        {
            var failure = FailureClassifier.Classify(e);
            Assert.Equal(FailureKind.Input, failure.Kind);
            Assert.Equal("CorruptEntry", failure.Code);
            Assert.Equal(error.Message, failure.Message);
        }
    }

    [SkippableFact]
    public void TheServicesOwnFaultsFailAtOnceAndTransientOnesAreRetried()
    {
        Assert.Equal(FailureKind.Service, FailureClassifier.Classify(new ModelNotFoundException("X", [])).Kind);
        Assert.Equal(FailureKind.Service, FailureClassifier.Classify(new AggregateException(new CodecUnavailableException("1.2", "JPEG-LS",
            "libcharls2"))).Kind);
        Assert.Equal(FailureKind.Input, FailureClassifier.Classify(new InputChannelMissingException("M", "mr", ["ct"])).Kind);
        Assert.Equal(FailureKind.Transient, FailureClassifier.Classify(new ExecutionProviderUnavailableException("no CUDA")).Kind);
        Assert.Equal(FailureKind.Transient, FailureClassifier.Classify(new IOException("disk")).Kind);
        Assert.Equal(FailureKind.Transient, FailureClassifier.Classify(new AggregateException(new TimeoutException())).Kind);
    }

    [SkippableFact]
    public void EveryCodeTheLibrariesRaiseIsCatalogued()
    {
        var raised = RaisedCodes();
        Assert.Contains("CorruptEntry", raised);
        Assert.Contains("InputChannelMissing", raised);
        Assert.True(raised.Count > 60, $"only {raised.Count} codes found; the source scan has lost its way");
        var missing = raised.Where(c => !ImagingErrorCodes.All.Contains(c) && !InferenceErrorCodes.All.Contains(c)).Order().ToList();
        Assert.True(missing.Count == 0, $"raised but not catalogued: {string.Join(", ", missing)}");
        var stale = ImagingErrorCodes.All.Concat(InferenceErrorCodes.All).Where(c => !raised.Contains(c)).Order().ToList();
        Assert.True(stale.Count == 0, $"catalogued but never raised: {string.Join(", ", stale)}");
    }

    [SkippableFact]
    public void InputCodesAreExactlyTheCataloguedInputFaults()
    {
        foreach (var code in ImagingErrorCodes.All)
            Assert.Equal(!ImagingErrorCodes.ServiceFaults.Contains(code), FailureClassifier.IsInputFault(code));
        foreach (var code in InferenceErrorCodes.All)
            Assert.Equal(InferenceErrorCodes.InputFaults.Contains(code), FailureClassifier.IsInputFault(code));
        foreach (var code in new[] { FailureCodes.TransientFaultsExhausted, FailureCodes.NoModelSilo, FailureCodes.InputMissing,
            FailureCodes.Unknown, null })
            Assert.False(FailureClassifier.IsInputFault(code));
    }

    /// <summary>
    /// Codes are string literals handed to an exception or problem constructor (directly, as <c>new("…")</c> of a
    /// target-typed exception, or through a local <c>Fail</c>/<c>Error</c> helper) in the two libraries' sources.
    /// </summary>
    internal static HashSet<string> RaisedCodes()
    {
        var root = RepositoryRoot();
        var codes = new HashSet<string>(StringComparer.Ordinal);
        foreach (var project in new[] { "Imaging", "Inference" })
        {
            foreach (var file in Directory.EnumerateFiles(Path.Combine(root, project), "*.cs", SearchOption.AllDirectories))
            {
                if (file.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}") || file.EndsWith(".g.cs")
                    || file.EndsWith("ErrorCodes.cs")) continue;
                foreach (Match m in CodeArgument().Matches(File.ReadAllText(file)))
                {
                    var callee = m.Groups["callee"].Value;
                    if (callee.EndsWith("Exception") || callee is "new" or "Fail" or "Error" or "VolumeProblem") codes.Add(m.Groups["code"].Value);
                }
            }
        }
        return codes;
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "InnerEye.Orleans.sln"))) return dir.FullName;
        throw new InvalidOperationException("InnerEye.Orleans.sln not found above the test folder.");
    }

    [GeneratedRegex(@"\b(?<callee>\w+)\(\s*(?:[\w.]+,\s*)?""(?<code>[A-Z][a-z]+(?:[A-Z][A-Za-z0-9]*)*)""")]
    private static partial Regex CodeArgument();
}
