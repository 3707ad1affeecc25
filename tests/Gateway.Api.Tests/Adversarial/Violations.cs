using Xunit.Abstractions;

namespace InnerEye.Gateway.Api.Tests.Adversarial;

/// <summary>Fails with how many of how many checked broke a property and the first of them by name; the output lists them all.</summary>
public static class Violations
{
    public const int Listed = 40;

    public static void AssertNone(ITestOutputHelper output, string property, IReadOnlyCollection<string> violations, int checkedCount)
    {
        Assert.True(checkedCount > 0, $"{property}: nothing was checked.");
        if (violations.Count == 0) return;
        output.WriteLine($"{property}: all {violations.Count} of {checkedCount}:");
        foreach (var v in violations) output.WriteLine("  " + v);
        var lines = violations.Take(Listed).Select(v => "  " + v);
        var more = violations.Count > Listed ? $"\n  … and {violations.Count - Listed} more" : "";
        Assert.Fail($"{property}: {violations.Count} of {checkedCount} broke it:\n{string.Join('\n', lines)}{more}");
    }
}
